#!/usr/bin/env bash
# The whole walk-through against a running key service (README quick start):
# enable a project (LOCAL), encrypt a cluster, see the refusal to disable the project, rotate the
# cluster's master key; then the data plane: a KEY_CONSUMER token for the project fetches a database key
# and is refused another project's; the database's key gets a new version, which the token is then served
# (the old one still by number); the audit log's chain verifies; clean up.
# Needs an ADMIN token in ATREST_TOKEN (see env.sh) unless the service runs in development mode.
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
step "a KEY_CONSUMER token for $project";      consumer=$("$dir/07-create-consumer-token.sh" "$project")
step "fetch the customers database's key";     ATREST_TOKEN="$consumer" "$dir/08-get-database-key.sh" "$project" orders-db customers
step "fetch it again: the same key";           ATREST_TOKEN="$consumer" "$dir/08-get-database-key.sh" "$project" orders-db customers
step "try another project's key";              ATREST_TOKEN="$consumer" "$dir/09-try-other-project.sh" "$project-other" orders-db customers
step "rotate the customers database's key";    "$dir/12-rotate-database-key.sh" "$project" orders-db customers 1
step "fetch it: version 2, a new key";         ATREST_TOKEN="$consumer" "$dir/08-get-database-key.sh" "$project" orders-db customers
step "fetch version 1: the old key";           ATREST_TOKEN="$consumer" "$dir/08-get-database-key.sh" "$project" orders-db customers 1
step "verify the audit log";                   "$dir/10-verify-audit-log.sh" "$project"
step "clean up";                               "$dir/11-cleanup.sh" "$project" orders-db
step "done: project $project is disabled, its keys kept"
