.PHONY: demo test install lint benchmarks
install:
	scripts/install.sh
demo:
	scripts/demo.sh
test:
	scripts/test.sh
lint:
	.venv/bin/ruff check src tests benchmarks
benchmarks:
	.venv/bin/python benchmarks/synth.py
	.venv/bin/python benchmarks/annex_a_load.py --markdown
	.venv/bin/python benchmarks/indicators.py --markdown
