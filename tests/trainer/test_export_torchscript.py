"""The TorchScript export's parity check over several chunks finishes (it used to hang on the CPU twin)."""
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import io, sys, tempfile
    import timm, torch
    from deit_trainer.export import PARITY_CHUNK, export_model

    class Events:
        def progress(self, *a, **k): pass
        def warning(self, code, message): print("warning", code, message)
        def emit(self, *a, **k): pass

    torch.manual_seed(0)
    model = timm.create_model("deit_tiny_patch16_224", pretrained=False, num_classes=3, img_size=32).eval()
    x = torch.randn(3 * PARITY_CHUNK, 3, 32, 32)  # three chunks: the second call is where it hung
    with tempfile.TemporaryDirectory() as out:
        parity = export_model(model, ["a", "b", "c"], 32, out, ["torchscript"], Events(), inputs=x)
    print("agreement", parity["torchscript"]["top1_agreement"], parity["torchscript"]["images"])
""")


def test_torchscript_parity_over_several_chunks_finishes():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "agreement 1.0 96" in done.stdout
