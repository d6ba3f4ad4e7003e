"""`mentorquest play --plain`: a whole onboarding from piped answers, no terminal needed."""

from __future__ import annotations

from tests.helpers import run_cli, write_library

# Who is playing, so that the player asks nothing but the survey and the choices.
WHO = ("--participant", "p-001", "--name", "Amira Okafor", "--email", "")


def test_plain_player_runs_a_whole_onboarding_from_stdin(tmp_path):
    root = write_library(tmp_path / "lib")
    answers = "1\nTo learn\n4\nask\nplan\n\n"  # role mentor, survey, ask, plan, skip optional
    done = run_cli("play", "--plain", *WHO, "--library", str(root), stdin=answers)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Which role do you have in the programme?" in out
    assert "Scenario 1 of 1: The missed sessions (about 5 minutes)" in out
    assert "[Trust: 50 on a scale of 0 to 100]" in out
    assert "Feedback: Curiosity first." in out
    assert "Result: 100% - passed (pass mark 70%)" in out
    assert "Onboarding complete." in out
    assert "\x1b" not in out


def test_invalid_answers_are_asked_again(tmp_path):
    root = write_library(tmp_path / "lib")
    answers = "mentor\nTo learn\n9\nthree\n3\n7\nask\nplan\n"
    done = run_cli("play", "--plain", *WHO, "--library", str(root), stdin=answers)
    assert done.returncode == 0
    assert "Please type a whole number from 1 to 5." in done.stdout
    assert "Please type a number from 1 to 2." in done.stdout
    assert "Result: 100% - passed" in done.stdout


def test_end_of_input_mid_scene_saves_and_exits_zero(tmp_path):
    root = write_library(tmp_path / "lib")
    done = run_cli(
        "play", "--plain", *WHO, "--library", str(root), "--role", "mentee", stdin="Hopes\n3\n"
    )
    assert done.returncode == 0
    assert done.stdout.rstrip().endswith(
        "Input ended. Your progress is saved; run the same command to continue."
    )


def test_one_scenario_with_role_given(tmp_path):
    root = write_library(tmp_path / "lib")
    done = run_cli(
        "play",
        "--plain",
        *WHO,
        "--library",
        str(root),
        "--role",
        "mentor",
        "--scenario",
        "missed-sessions",
        stdin="blame\ntell-tutor\n",
    )
    assert done.returncode == 0
    assert "This is a serious breach of Confidentiality: this attempt cannot pass." in done.stdout
    assert "Result: 0% - not passed: a serious breach of Confidentiality" in done.stdout


def test_scenario_text_is_shown_literally(tmp_path):
    root = write_library(tmp_path / "lib")
    path = root / "speaking-up.yaml"
    path.write_text(
        path.read_text().replace(
            "text: Your mentor keeps cutting you off.",
            'text: "[bold red]Your mentor[/] \\e[31mkeeps\\e[0m cutting you off."',
        )
    )
    done = run_cli(
        "play",
        "--plain",
        *WHO,
        "--library",
        str(root),
        "--role",
        "mentee",
        "--scenario",
        "speaking-up",
        stdin="say-it\n",
    )
    assert "[bold red]Your mentor[/] keeps cutting you off." in done.stdout
    assert "\x1b" not in done.stdout


def test_unknown_role_is_a_clear_error(tmp_path):
    root = write_library(tmp_path / "lib")
    done = run_cli("play", "--plain", "--library", str(root), "--role", "mentr")
    assert done.returncode == 2
    assert "unknown role 'mentr' (did you mean 'mentor'?)" in done.stderr
    assert "Traceback" not in done.stderr


def test_bundled_programme_plays_in_plain_mode_with_no_arguments_but_plain():
    done = run_cli("play", "--plain", *WHO, stdin="1\n")
    assert done.returncode == 0
    assert done.stdout.startswith("Reciprocal mentoring onboarding\n")
