"""The trainer's toolkit: see a scenario whole, test it, start from a scaffold, import Twine.

- `explore`: every reachable state of a scenario, the exact number of complete paths
  and the extremes of its scores, counted on the engine's state graph; or seeded random
  playthroughs (ChoiceScript's quicktest and randomtest, on the same graph).
- `graph`: the scenario as a Mermaid or Graphviz graph (Twine's story map, `ysc graph`).
- `transcripts`: transcript tests (`*.test.yaml`) kept beside the scenarios (Yarn
  Spinner's test plans): a path of choice ids and what it must give.
- `scaffold`: a new programme or scenario that validates clean and teaches the format.
- `schemas`: the JSON Schemas written beside a trainer's library, for their editor.
- `twee`: a Twine story (Twee 3) brought in as a scenario.

Above the engine and the language, below the command line; never imports textual or
rich (an import-linter contract says so).
"""
