"""The demo's last step: load the hourly memory table that Spark exported with format("arrow") into Polars
(memory-mapped, no conversion), print a summary, and draw memory utilisation per instance as a PNG.

usage: demo_report.py ARROW_DIR PNG_PATH

The table has one row per instance and hour: instance, hour (timestamp), utilisation (mean share of MemTotal in
use, excluding page cache), peak_utilisation, mean_active_bytes.
"""
import glob
import os
import sys

import matplotlib

matplotlib.use("Agg")  # no display on a build machine
import matplotlib.pyplot as plt  # noqa: E402
import polars as pl  # noqa: E402


def load(arrow_dir):
    files = sorted(glob.glob(os.path.join(arrow_dir, "*.arrow")))
    if not files:
        raise SystemExit(f"demo_report: no .arrow files in {arrow_dir}")
    return pl.concat([pl.read_ipc(f, memory_map=True) for f in files]).sort("instance", "hour")


def summarise(hourly):
    per_instance = (
        hourly.group_by("instance")
        .agg(
            pl.len().alias("hours"),
            pl.col("utilisation").mean().alias("mean_utilisation"),
            pl.col("peak_utilisation").max().alias("peak_utilisation"),
            (pl.col("mean_active_bytes").mean() / 2**30).alias("mean_active_gib"),
        )
        .sort("peak_utilisation", descending=True)
    )
    with pl.Config(tbl_rows=10, float_precision=3, tbl_hide_dataframe_shape=True):
        print(f"[report] {hourly.height} hourly rows, {per_instance.height} instances, "
              f"{hourly['hour'].min()} .. {hourly['hour'].max()}")
        print("[report] instances by peak memory utilisation:")
        print(per_instance.head(10))
    return per_instance


def chart(hourly, png_path):
    fig, ax = plt.subplots(figsize=(12, 6), dpi=100)
    for (instance,), rows in hourly.group_by("instance", maintain_order=True):
        ax.plot(rows["hour"].to_list(), (rows["utilisation"] * 100).to_list(), linewidth=1, label=instance)
    ax.set_title("Memory utilisation per instance (hourly mean, page cache excluded)")
    ax.set_xlabel("hour (UTC)")
    ax.set_ylabel("% of MemTotal in use")
    ax.grid(True, alpha=0.3)
    if hourly["instance"].n_unique() <= 20:
        ax.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(png_path)
    print(f"[report] chart: {png_path}")


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: demo_report.py ARROW_DIR PNG_PATH")
    hourly = load(sys.argv[1])
    summarise(hourly)
    chart(hourly, sys.argv[2])


if __name__ == "__main__":
    main()
