#!/usr/bin/env python3
"""PyTorch reference for `pnpm bench:gpu` (issue 7): keras-dcgan's DCGAN iteration, timed on CUDA.

A benchmark reference only, not a dependency of Forger. The architecture is jacobgil/keras-dcgan's, the
same one Forger's dcganSpec() builds, and the iteration is Forger's AdversarialTrainer step:
  D: real and generated batches stacked through D in one forward pass (as Forger and keras-dcgan do since
     D has no batch norm; issue 7's 7.06 ms were measured with two passes), sigmoid cross-entropy from
     logits, Adam;
  G: a fresh G(z) through the frozen D (its weights need no gradient), non-saturating loss, Adam
     (lr 2e-4, beta1 0.5: the DCGAN paper's; epsilon 1e-7 as Keras).
Eager mode, default cuDNN settings; TF32 allowed ('tf32') or not ('fp32'). Timings are wall time between
torch.cuda.synchronize() calls, warm-up excluded. Prints one JSON object on stdout.

  python3 torch_dcgan.py --batches 64,256 --precisions tf32,fp32 [--min-seconds 2]
"""
import argparse
import json
import sys
import time


def build(torch, nn):
    class Generator(nn.Module):
        # keras-dcgan generator_model(): Dense 1024 tanh, Dense 128*7*7, BatchNorm, tanh, reshape,
        # UpSampling 2, Conv 64 5x5 same tanh, UpSampling 2, Conv 1 5x5 same tanh.
        def __init__(self, latent_dim=100):
            super().__init__()
            self.dense_1 = nn.Linear(latent_dim, 1024)
            self.dense_2 = nn.Linear(1024, 128 * 7 * 7)
            # Keras BatchNormalization defaults: epsilon 1e-3, momentum 0.99 (PyTorch counts 1 - 0.99).
            self.batch_norm = nn.BatchNorm1d(128 * 7 * 7, eps=1e-3, momentum=0.01)
            self.upsample = nn.Upsample(scale_factor=2, mode="nearest")
            self.conv_1 = nn.Conv2d(128, 64, 5, padding=2)
            self.conv_2 = nn.Conv2d(64, 1, 5, padding=2)

        def forward(self, z):
            x = torch.tanh(self.dense_1(z))
            x = torch.tanh(self.batch_norm(self.dense_2(x)))
            x = x.view(-1, 128, 7, 7)
            x = torch.tanh(self.conv_1(self.upsample(x)))
            return torch.tanh(self.conv_2(self.upsample(x)))

    class Discriminator(nn.Module):
        # keras-dcgan discriminator_model(): Conv 64 5x5 same tanh, MaxPool 2, Conv 128 5x5 (valid) tanh,
        # MaxPool 2, Flatten, Dense 1024 tanh, Dense 1 (sigmoid, folded into the loss as logits).
        def __init__(self):
            super().__init__()
            self.conv_1 = nn.Conv2d(1, 64, 5, padding=2)
            self.conv_2 = nn.Conv2d(64, 128, 5)
            self.pool = nn.MaxPool2d(2)
            self.dense_1 = nn.Linear(128 * 5 * 5, 1024)
            self.dense_2 = nn.Linear(1024, 1)

        def forward(self, x):
            x = self.pool(torch.tanh(self.conv_1(x)))
            x = self.pool(torch.tanh(self.conv_2(x)))
            x = torch.tanh(self.dense_1(torch.flatten(x, 1)))
            return self.dense_2(x)

    return Generator, Discriminator


def measure(torch, nn, batch, precision, min_seconds, min_iterations, warmup):
    tf32 = precision == "tf32"
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32
    Generator, Discriminator = build(torch, nn)
    device = torch.device("cuda")
    torch.manual_seed(1)
    g, d = Generator().to(device), Discriminator().to(device)
    g_opt = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-7)
    d_opt = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-7)
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(batch, 1, 28, 28, device=device) * 2 - 1
    z = torch.rand(batch, 100, device=device) * 2 - 1
    ones = torch.ones(batch, 1, device=device)
    zeros = torch.zeros(batch, 1, device=device)

    def iteration():
        # Discriminator step: generated images are constants.
        with torch.no_grad():
            fake = g(z)
        d_opt.zero_grad(set_to_none=True)
        logits = d(torch.cat([real, fake]))
        d_loss = bce(logits[:batch], ones) + bce(logits[batch:], zeros)
        d_loss.backward()
        d_opt.step()
        # Generator step through the frozen discriminator.
        d.requires_grad_(False)
        g_opt.zero_grad(set_to_none=True)
        g_loss = bce(d(g(z)), ones)
        g_loss.backward()
        g_opt.step()
        d.requires_grad_(True)
        return d_loss, g_loss

    for _ in range(warmup):
        iteration()
    torch.cuda.synchronize()
    iterations = 0
    start = time.perf_counter()
    while True:
        for _ in range(10):
            d_loss, g_loss = iteration()
        iterations += 10
        torch.cuda.synchronize()
        elapsed = time.perf_counter() - start
        if iterations >= min_iterations and elapsed >= min_seconds:
            break
    ms = elapsed * 1000 / iterations
    return {
        "batchSize": batch,
        "precision": precision,
        "msPerIteration": round(ms, 4),
        "imagesPerSecond": round(batch * 1000 / ms, 1),
        "iterations": iterations,
        "warmupIterations": warmup,
        "finalLosses": [float(d_loss), float(g_loss)],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", default="64,256")
    parser.add_argument("--precisions", default="tf32,fp32")
    parser.add_argument("--min-seconds", type=float, default=2.0)
    parser.add_argument("--min-iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    try:
        import torch
        from torch import nn
    except ImportError as error:
        print(json.dumps({"error": f"PyTorch is not installed: {error}"}))
        return 3
    if not torch.cuda.is_available():
        print(json.dumps({"error": "torch.cuda.is_available() is False: no CUDA device", "torchVersion": torch.__version__}))
        return 4
    results = []
    for precision in args.precisions.split(","):
        for batch in (int(b) for b in args.batches.split(",")):
            results.append(measure(torch, nn, batch, precision, args.min_seconds, args.min_iterations, args.warmup))
            print(f"torch {precision} batch {batch}: {results[-1]['msPerIteration']} ms/iteration", file=sys.stderr)
    print(json.dumps({
        "torchVersion": torch.__version__,
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version(),
        "cudnnBenchmark": torch.backends.cudnn.benchmark,
        "device": torch.cuda.get_device_name(0),
        "mode": "eager",
        "results": results,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
