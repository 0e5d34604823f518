"""``--engine spark``: the command line's ``fit`` and ``evaluate`` on Apache Spark MLlib ALS.

The torch engine reads a file into memory and trains there; this engine lets Spark read the
file (CSV/TSV or Parquet, one file or a folder of parts) and train alternating least squares
(ALS) on it, in local mode on one machine or on a cluster. Nothing on this path goes through
pandas or builds a users x items matrix: the ratings stay in Spark, ids are mapped to integers
there, and only small things (counts, fold numbers, the first bad row) come to the driver.

One file per concern, and nothing here imports pyspark until a command runs:

- :mod:`.options`: the command-line options (``--engine``, ``--master``, ``--conf`` ...).
- :mod:`.session`: Java and pyspark present, the session started quiet, stopped at the end.
- :mod:`.reading`: the file read, checked (one message: what, where, what to do) and numbered
  in the torch loader's own order, so that both engines see the same rows in the same order.
- :mod:`.split`: the torch engine's folds and hold-out, reproduced exactly.
- :mod:`.als`: ALS with or without biases removed first; predictions with the cold-start rule.
- :mod:`.commands`: ``fit`` and ``evaluate``, their JSON and files.
- :mod:`.interactions` and :mod:`.ranking`: the same for ``--task ranking``: a file of
  interactions read and held out (leave-one-out) in Spark, implicit-preference ALS, HR@K and
  NDCG@K sampled and full, the torch ranking task's JSON keys.
- :mod:`.foldin`: ``recommend DIR`` on a folder this engine's ``fit --out`` wrote: the saved
  ALS model read with pyarrow (no Spark, no Java) and a newcomer's row solved as Spark solves
  a user's.
"""
