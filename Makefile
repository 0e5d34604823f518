# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
STAMP  := $(VENV)/.installed

.PHONY: run test install browser lint messages bench clean

run: $(STAMP)  ## install everything and start the app on the course matrix
	$(BIN)/python serve.py --server.port $(PORT)  # streamlit run app.py, imports warmed

test: $(STAMP) browser  ## install everything and run every test, browser tests included
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# Debian's Chromium drives the browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium and CJK fonts for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

lint: $(STAMP)
	$(BIN)/ruff check .

messages: $(STAMP)  ## after changing texts: re-extract them into locales/ko/LC_MESSAGES/messages.po
	$(BIN)/python -m recsys_core.i18n

bench: $(STAMP) browser  ## accuracy and speed against scikit-surprise and Cornac, the first fit in a fresh process, then the app's speed in a browser; writes BENCHMARKS.md (~20 min)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BIN)/python -m bench
	$(BIN)/python -m bench.ranking
	$(BIN)/python -m bench.app_speed

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
