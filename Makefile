# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
STAMP  := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark
PEERS_STAMP := $(VENV)/.installed-peers

.PHONY: run test install browser java lint messages bench clean

run: $(STAMP)  ## install everything and start the app on the course matrix
	$(BIN)/python serve.py --server.port $(PORT)  # streamlit run app.py, imports warmed

test: $(STAMP) $(SPARK_STAMP) $(PEERS_STAMP) browser java  ## install everything and run every test, browser tests included
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# The Spark engine (pyspark, 456 MB): for the tests and the benchmarks, not for the app.
$(SPARK_STAMP): requirements-spark.txt $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	touch $(SPARK_STAMP)

# The benchmarks' peers (scikit-surprise, Cornac, implicit; wheels): the tests check that the
# bench drives them right, so `make test` installs them too; `make run` does not need them.
$(PEERS_STAMP): requirements-bench.txt $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $(PEERS_STAMP)

# Debian's Chromium drives the browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium and CJK fonts for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

# Java 17 for the Spark engine's tests and benchmarks (Spark 4 runs on Java 17 or newer).
java:
	@command -v java >/dev/null 2>&1 || [ -x "$$JAVA_HOME/bin/java" ] || { \
	  echo "Installing Debian's Java 17 for the Spark engine..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; }

lint: $(STAMP)
	$(BIN)/ruff check .

messages: $(STAMP)  ## after changing texts: re-extract them into locales/ko/LC_MESSAGES/messages.po
	$(BIN)/python -m recsys_core.i18n

bench: $(STAMP) $(SPARK_STAMP) $(PEERS_STAMP) browser java  ## accuracy and speed against scikit-surprise and Cornac, the first fit in a fresh process, Spark against torch, then the app's speed in a browser (and against the app issue 13 was filed on); writes BENCHMARKS.md (~50 min on 2 cores)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.ranking
	$(BIN)/python -m bench.app_speed
	$(BIN)/python -m bench.app_before_after
	$(BIN)/python -m bench.spark

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
