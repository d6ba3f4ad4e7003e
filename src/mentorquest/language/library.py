"""A checked library as players and the engine use it: the programme and its scenarios.

A `Library` comes from `loader.load_library` (reading and checking the YAML files) or from
`compiled.open_library` (its compiled cache). Either way it holds the format's own
objects (`format.Programme`, `format.Scenario`) and knows where each scenario came from
and the content hash of what its author wrote.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mentorquest.errors import UsageError
from mentorquest.language.suggest import did_you_mean
from mentorquest.textsafe import clip

if TYPE_CHECKING:
    from mentorquest.language.conditions import Condition
    from mentorquest.language.diagnostics import Position
    from mentorquest.language.format import Programme, Scenario
    from mentorquest.language.yamlsource import Document


def content_hash_of(data: Mapping[str, Any]) -> str:
    """The content hash of a scenario: a digest of what its author wrote.

    It is taken over the file's values (layout, comments and key order aside), not over
    defaults the code fills in, so that a release adding an optional field to the format
    changes no scenario's hash and keeps every saved attempt resumable.
    """
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    import hashlib  # only when a library is checked: a play session reads its hashes

    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class Library:
    """A loaded library: the programme, its scenarios and where each came from.

    A library read from its YAML files keeps the parsed documents, so that later checks
    can name lines; one read from the compiled cache has only the file names.
    """

    root: Path
    programme: Programme
    scenarios: dict[str, Scenario]
    # Scenario id -> the content hash of what its author wrote (see content_hash_of).
    content_hashes: dict[str, str] = field(default_factory=dict)
    # Scenario id -> the file it came from, as shown in messages.
    files: dict[str, str] = field(repr=False, default_factory=dict)
    documents: dict[str, Document] = field(repr=False, default_factory=dict)
    programme_document: Document | None = field(repr=False, default=None)
    # Ids of scenario files that failed to load: references to them are not reported again.
    broken_ids: set[str] = field(repr=False, default_factory=set)
    _conditions: dict[str, dict[tuple[str, int], Condition]] = field(
        repr=False, default_factory=dict
    )
    _reread_documents: dict[str, Document | None] = field(repr=False, default_factory=dict)

    def scenario(self, scenario_id: str) -> Scenario:
        try:
            return self.scenarios[scenario_id]
        except KeyError:
            hint = did_you_mean(scenario_id, self.scenarios)
            raise UsageError(f"no scenario '{clip(scenario_id)}' in this library{hint}") from None

    def content_hash(self, scenario_id: str) -> str:
        return self.content_hashes[self.scenario(scenario_id).id]

    def earlier_hash(self, scenario_id: str) -> str:
        """The hash mentorquest 0.1 gave this same content, which its saved attempts carry.

        It hashed the scenario with the format's defaults filled in (which is why a new
        optional field would have changed every hash): this is that hash, taken over the
        fields 0.1 had (fields added since say so), so those attempts stay resumable.
        """
        from mentorquest import shapes

        return content_hash_of(shapes.to_data(self.scenario(scenario_id), version=1))

    def locate(self, scenario_id: str, path: Sequence[str | int], *, key: bool = False) -> Position:
        """Where a value of a scenario's file is, for diagnostics reported after loading.

        A library read from its compiled cache has no documents: the scenario's file is
        then read again (only on this path, which reports a problem), so that a message
        names the same line and column however the library was opened."""
        document = self.documents.get(scenario_id) or self._reread(scenario_id)
        if document is None:
            from mentorquest.language.diagnostics import Position

            return Position(self.file_of(scenario_id), 1, 1)
        return document.position(path, key=key)

    def _reread(self, scenario_id: str) -> Document | None:
        if scenario_id in self._reread_documents:
            return self._reread_documents[scenario_id]
        document = None
        file = self.files.get(scenario_id)
        if file is not None:
            from mentorquest.language.files import FileProblem, LibraryFile, read_bytes
            from mentorquest.language.yamlsource import read_document

            path = Path(file)
            try:
                info = path.stat()
                raw = read_bytes(LibraryFile(path, path.name, info.st_size, info.st_mtime_ns))
            except (OSError, FileProblem):
                raw = None
            if raw is not None:
                found, _ = read_document(raw, file)
                if found is not None and content_hash_of(found.data) == self.content_hashes.get(
                    scenario_id
                ):
                    document = found  # positions only from the very content played
        self._reread_documents[scenario_id] = document
        return document

    def file_of(self, scenario_id: str) -> str:
        document = self.documents.get(scenario_id)
        return document.file if document is not None else self.files.get(scenario_id, scenario_id)

    def required_for(self, role: str) -> list[str]:
        return list(self.programme.required.get(role, ()))

    def optional_for(self, role: str) -> list[str]:
        required = set(self.required_for(role))
        return [sid for sid, s in self.scenarios.items() if role in s.roles and sid not in required]

    def pass_mark(self, scenario_id: str) -> int:
        scenario = self.scenarios[scenario_id]
        return scenario.pass_mark if scenario.pass_mark is not None else self.programme.pass_mark

    def conditions(self, scenario_id: str) -> dict[tuple[str, int], Condition]:
        """(scene id, choice index) -> the parsed condition, for every choice that has one.

        Parsed on first use from the conditions' source; a library reaches players only
        when every condition in it has parsed and type-checked.
        """
        found = self._conditions.get(scenario_id)
        if found is None:
            from mentorquest.language.conditions import parse_condition

            found = {
                (scene_id, index): parse_condition(choice.if_)
                for scene_id, scene in self.scenarios[scenario_id].scenes.items()
                for index, choice in enumerate(scene.choices)
                if choice.if_ is not None
            }
            self._conditions[scenario_id] = found
        return found

    def condition(self, scenario_id: str, scene_id: str, index: int) -> Condition | None:
        return self.conditions(scenario_id).get((scene_id, index))
