"""The reference implementation of LCMCR, for benchmarks that compare with it on this machine.

The R package LCMCR (Manrique-Vallier; C++ with GSL; CRAN) run through ``Rscript``: the same
capture table (a CSV with one 0/1 column per list and ``count``), K, burn-in, samples,
thinning and seed as ours, a_α = b_α = 0.25. Only the sampler is timed: ``Init_Model``
(which runs the package's 500 warm-up sweeps) and the two ``Update`` calls of
``lcmCR_PostSampl``, not R's start-up or data preparation. ``LCMCR_LIB`` may name the R
library that holds the package. Nothing here is used by recount itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

REFERENCE_R = r"""
args <- commandArgs(trailingOnly = TRUE)
lib <- Sys.getenv("LCMCR_LIB", "")
suppressPackageStartupMessages(
  if (nzchar(lib)) library(LCMCR, lib.loc = lib) else library(LCMCR))
K <- as.integer(args[2]); burnin <- as.integer(args[3]); samples <- as.integer(args[4])
thin <- as.integer(args[5]); seed <- as.integer(args[6])
table <- read.csv(args[1], check.names = FALSE)
lists <- table[, names(table) != "count", drop = FALSE]
frame <- as.data.frame(lapply(lists, function(x) factor(x, levels = c(0, 1))))
frame$Freq <- as.integer(table$count)
frame <- frame[frame$Freq > 0, ]
sampler <- lcm_CR_Basic_generator(data_captures = LCMCR:::fn_CRtabular2indiv(frame), K,
                                  0.25, 0.25, in_list_symbol = "1", len_buffer = 10000,
                                  subsamp = thin)
start <- proc.time()
sampler$Init_Model(output = FALSE, seed = seed)
sampler$Update(burnin, FALSE)
sampler$Change_SubSamp(thin)
sampler$Change_Trace_Length(samples)
if (!("n0" %in% sampler$Get_Trace_List())) sampler$Set_Trace("n0")
sampler$Activate_Tracing()
sampler$Update(samples * thin, FALSE)
took <- proc.time() - start
N <- as.numeric(sampler$Get_Trace("n0") + sampler$n)
q <- unname(quantile(N, c(0.025, 0.5, 0.975)))
cat(sprintf(paste0('{"sweeps": %d, "wall_seconds": %.4f, "cpu_seconds": %.4f, ',
                   '"q025": %.2f, "median": %.2f, "q975": %.2f}\n'),
            500L + burnin + samples * thin, took[["elapsed"]], took[["user.self"]],
            q[1], q[2], q[3]))
"""


def reference_available() -> str | None:
    """None when Rscript can load LCMCR, else the reason it cannot."""
    if shutil.which("Rscript") is None:
        return "Rscript is not installed"
    lib = os.environ.get("LCMCR_LIB")
    load = f"library(LCMCR, lib.loc = '{lib}')" if lib else "library(LCMCR)"
    probe = subprocess.run(
        ["Rscript", "-e", f"suppressPackageStartupMessages({load})"], capture_output=True, text=True
    )
    return None if probe.returncode == 0 else "R cannot load LCMCR: " + probe.stderr.strip()


def run_reference(path: Path, K: int, burn_in: int, samples: int, thin: int, seed: int) -> dict:
    """One chain of the R package LCMCR on the table in ``path``: sweeps, wall and CPU
    seconds of the sampler, the 2.5%, 50% and 97.5% quantiles of its draws of N, and its
    sweeps per second."""
    arguments = [str(path), str(K), str(burn_in), str(samples), str(thin), str(seed)]
    out = subprocess.run(
        ["Rscript", "-e", REFERENCE_R, *arguments], check=True, capture_output=True, text=True
    ).stdout
    run = json.loads(out.strip().splitlines()[-1])
    return {
        "seed": seed,
        **run,
        "sweeps_per_second_wall": round(run["sweeps"] / run["wall_seconds"]),
        "sweeps_per_second_cpu": round(run["sweeps"] / run["cpu_seconds"]),
    }
