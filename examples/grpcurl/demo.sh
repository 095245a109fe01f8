#!/usr/bin/env bash
# The whole walk-through against a running key service (README quick start):
# enable a project (LOCAL), encrypt a cluster, see the refusal to disable the project, rotate the
# cluster's master key, clean up.
# Usage: demo.sh [PROJECT_ID]   (default: demo-<random>)
source "$(dirname "$0")/env.sh"
dir="$(dirname "$0")"
project="${1:-demo-$RANDOM}"
step() { printf '\n== %s\n' "$*"; }

step "services on $ATREST_ADDR";               "$dir/01-list-services.sh"
step "enable project $project (LOCAL)";        "$dir/02-enable-project-local.sh" "$project"
step "encrypt cluster orders-db";              "$dir/03-enable-cluster.sh" "$project" orders-db
step "try to disable the project";             "$dir/04-try-disable-project.sh" "$project"
step "inspect the key hierarchy";              "$dir/05-inspect-keys.sh" "$project" orders-db
step "rotate the master key";                  "$dir/06-rotate-master-key.sh" "$project" orders-db
step "inspect the key hierarchy again";        "$dir/05-inspect-keys.sh" "$project" orders-db
step "clean up";                               "$dir/07-cleanup.sh" "$project" orders-db
step "done: project $project is disabled, its keys kept"
