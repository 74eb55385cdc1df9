"""The demo's last step: load the hourly memory table that Spark exported with format("arrow") into Polars
(memory-mapped, no conversion), print a summary, and draw memory utilisation per instance as a PNG.

usage: demo_report.py ARROW_DIR PNG_PATH

The table has one row per instance and hour: instance, hour (timestamp), utilisation (mean share of MemTotal in
use, excluding page cache), peak_utilisation, mean_active_bytes, mean_cached_bytes, samples (15 s points in the
hour; fewer than 240 when the machine was down).
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
            pl.col("utilisation").min().alias("min_utilisation"),
            (pl.col("mean_active_bytes").mean() / 2**30).alias("mean_active_gib"),
            (pl.col("mean_cached_bytes").mean() / 2**30).alias("mean_cached_gib"),
        )
        .sort("peak_utilisation", descending=True)
    )
    with pl.Config(tbl_rows=10, float_precision=3, tbl_hide_dataframe_shape=True, tbl_width_chars=120):
        print(f"[report] {hourly.height} hourly rows, {per_instance.height} instances, "
              f"{hourly['hour'].min()} .. {hourly['hour'].max()}")
        print("[report] instances by peak memory utilisation:")
        print(per_instance.head(10))
        outages = restarts(hourly)
        print(f"[report] hours with missing samples (a machine down): {outages.height}")
        if outages.height:
            print(outages)
    return per_instance


def restarts(hourly):
    """Hours in which an instance has fewer points than the fullest hour, with utilisation before and after."""
    full = hourly["samples"].max()
    with_neighbours = hourly.sort("instance", "hour").with_columns(
        pl.col("utilisation").shift(1).over("instance").alias("hour_before"),
        pl.col("utilisation").shift(-1).over("instance").alias("hour_after"),
    )
    return (
        with_neighbours.filter(pl.col("samples") < full)
        .select(
            "instance",
            "hour",
            (full - pl.col("samples")).alias("missing_points"),
            pl.col("hour_before").alias("utilisation_hour_before"),
            pl.col("hour_after").alias("utilisation_hour_after"),
        )
    )


def chart(hourly, png_path):
    fig, (used, cache) = plt.subplots(2, 1, figsize=(12, 8), dpi=100, sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    colours = plt.get_cmap("tab20")
    for n, ((instance,), rows) in enumerate(hourly.group_by("instance", maintain_order=True)):
        hours = rows["hour"].to_list()
        used.plot(hours, (rows["utilisation"] * 100).to_list(), linewidth=1, color=colours(n % 20), label=instance)
        cache.plot(hours, (rows["mean_cached_bytes"] / 2**30).to_list(), linewidth=1, color=colours(n % 20))
    for outage in restarts(hourly).iter_rows(named=True):
        for ax in (used, cache):
            ax.axvline(outage["hour"], color="grey", linestyle="--", linewidth=0.8)
        used.annotate(f"{outage['instance']} down", (outage["hour"], used.get_ylim()[1]), fontsize=7,
                      rotation=90, va="top", ha="right")
    used.set_title("Memory utilisation per instance (hourly mean, page cache excluded)")
    used.set_ylabel("% of MemTotal in use")
    cache.set_title("Page cache per instance (hourly mean)")
    cache.set_ylabel("Cached, GiB")
    cache.set_xlabel("hour (UTC)")
    for ax in (used, cache):
        ax.grid(True, alpha=0.3)
    if hourly["instance"].n_unique() <= 20:
        used.legend(fontsize=7, ncol=1, loc="upper left", bbox_to_anchor=(1.01, 1.0))
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
