# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo.db
STAMP  := $(VENV)/.installed

.PHONY: demo test bench bench-import bench-pdf install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/provmap --db $(DEMO_DB) demo --size small
	$(BIN)/provmap --db $(DEMO_DB)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m provmap_tui.bench

bench-import: $(STAMP)
	$(BIN)/python -m provmap_tui.bench_import

bench-pdf: $(STAMP)
	$(BIN)/python -m provmap_tui.bench_pdf

clean:
	rm -rf $(VENV) build dist *.egg-info $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
