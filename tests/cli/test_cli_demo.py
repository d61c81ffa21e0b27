"""``chainrule demo`` and ``chainrule explain`` as a newcomer runs them."""

from __future__ import annotations

import re

from cli_helpers import cli

PNG = b"\x89PNG\r\n\x1a\n"
OUTPUTS = ("loss.png", "graph.mmd", "metrics.csv", "model.safetensors")


def check_mermaid(text: str) -> None:
    """A structural check of Mermaid flowchart syntax: header, node and edge statements."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    assert re.fullmatch(r"(flowchart|graph) (TD|TB|BT|LR|RL)", lines[0]), lines[0]
    node = r'[A-Za-z_][\w]*(?:\["[^"]*"\]|\("[^"]*"\)|\(\["[^"]*"\]\)|\{"[^"]*"\}|\[\["[^"]*"\]\]|\[\("[^"]*"\)\]|\(\("[^"]*"\)\))?'
    edge = rf"{node}\s*(-->|-\.->|==>)(\|[^|]*\|)?\s*{node}"
    other = r"%%.*|(classDef|class|style|linkStyle|subgraph|end|click)\b.*"
    for line in lines[1:]:
        assert re.fullmatch(edge, line) or re.fullmatch(node, line) or re.fullmatch(other, line), (
            line
        )
    assert any("-->" in line for line in lines)


def test_demo_needs_no_arguments_and_writes_everything(tmp_path):
    result = cli("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # (1) the seed network: the loss of all 100 epochs, then the (3, 1) predictions
    assert len(re.findall(r"epoch +\d+  loss \d+\.\d{4}", out)) == 100
    assert "Predicted: tensor([[" in out
    # (2) the digits MLP: one line per epoch with held-out accuracy, >= 95% at the end
    epochs = re.findall(
        r"epoch +(\d+)/10  train loss [\d.]+  acc +[\d.]+%  val loss [\d.]+  "
        r"acc +([\d.]+)%",
        out,
    )
    assert [int(e) for e, _ in epochs] == list(range(1, 11))
    assert float(epochs[-1][1]) >= 95.0
    # (3) the files, and where they went
    folder = tmp_path / "chainrule-demo"
    for name in OUTPUTS:
        assert (folder / name).is_file(), name
        assert f"chainrule-demo/{name}" in out
    assert (folder / "loss.png").read_bytes()[:8] == PNG
    check_mermaid((folder / "graph.mmd").read_text())
    metrics = (folder / "metrics.csv").read_text().splitlines()
    assert len(metrics) == 11 and metrics[0].startswith("epoch,train_loss")

    from safetensors.numpy import load_file

    weights = load_file(str(folder / "model.safetensors"))
    assert weights["net.net.0.weight"].shape == (128, 64)

    # a second demo keeps the first one's files and says where the new ones went
    before = {name: (folder / name).read_bytes() for name in OUTPUTS}
    again = cli("demo", "--epochs", "1", "--quiet", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "already holds outputs of an earlier run; writing into" in again.stdout
    assert all((folder / n).read_bytes() == before[n] for n in OUTPUTS)
    assert all((folder / "run-2" / n).is_file() for n in OUTPUTS)


def test_explain_text_and_markdown():
    text = cli("explain")
    assert text.returncode == 0, text.stderr
    assert "fc1.weight" in text.stdout and "fc2.weight" in text.stdout
    md = cli("explain", "--format", "md", "--lr", "0.1")
    assert md.returncode == 0, md.stderr
    assert "|" in md.stdout and "fc1.weight" in md.stdout


def test_help_and_version():
    result = cli("--help")
    assert result.returncode == 0
    for command in ("demo", "train", "evaluate", "predict", "explain"):
        assert command in result.stdout
    assert cli("--version").stdout.startswith("chainrule ")
    assert cli("train", "--help").returncode == 0
