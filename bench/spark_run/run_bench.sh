#!/bin/bash
# Separate runs so that each size's results are saved as soon as it is done.
cd /tmp/spark-bench-tree
PY=/work/main/.venv/bin/python
date -u; uptime
$PY -m bench.spark --only movielens --json results_movielens.json --no-write > log_movielens.txt 2>&1
date -u; uptime
$PY -m bench.spark --only scale --sizes 1000000 --json results_1m.json --no-write > log_1m.txt 2>&1
date -u; uptime
$PY -m bench.spark --only scale --sizes 10000000 --json results_10m.json --no-write > log_10m.txt 2>&1
date -u; uptime
# added later, one run on its own (interactions, --task ranking):
$PY -m bench.spark --only ranking --json results_ranking.json --no-write > log_ranking.txt 2>&1
date -u; uptime
