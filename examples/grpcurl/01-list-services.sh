#!/usr/bin/env bash
# What the key service offers, straight from server reflection.
source "$(dirname "$0")/env.sh"
atrest "$ATREST_ADDR" list
