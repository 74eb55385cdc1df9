#!/usr/bin/env python3
"""The Python Prometheus download pipeline Tributary replaces, as the baseline Tributary's Prometheus connector is measured against.

It downloads each metric one day at a time in a 64-thread pool (concurrent.futures.ThreadPoolExecutor over
metric x day), turns each answer into a pandas DataFrame with columns instance, group, timestamp and the value
column renamed to the metric, and writes one CSV per metric-day named METRIC-START_DAY-END_DAY.csv.

Two ways to ask Prometheus (--api):
  query_range     (default) one GET /api/v1/query_range per metric-day with the given --step; every point of the
                  answer becomes a row. Adjacent days share their boundary point, as in the Python download scripts.
  chunked-instant exactly what the scripts' prometheus_api_client.get_metric_range_data(chunk_size=60 s) sends:
                  one GET /api/v1/query?query=METRIC[60s]&time=T per minute of the day (1440 requests a
                  metric-day), keeping only the newest sample of each series per request, as the scripts'
                  MetricSnapshotDataFrame does. --step is ignored; --chunk-seconds sets the chunk.

Like prometheus_api_client, all threads share one requests.Session (and its default pool of 10 connections).

Prints one JSON line: {"samples": rows written, "seconds": wall time, "requests": HTTP requests, "files": CSVs}.

Example:
  .venv/bin/python integration-tests/benchmarks/src/main/python/python_download_pipeline.py --url http://127.0.0.1:9090 \\
      --metrics node_memory_MemFree_bytes,node_memory_MemTotal_bytes,node_memory_Active_bytes,node_memory_Cached_bytes \\
      --start 2023-01-01T00:00:00Z --end 2023-01-04T00:00:00Z --step 15 --out target/python-download-csv
"""
import argparse
import concurrent.futures
import datetime
import json
import logging
import os
import threading
import time

import pandas as pd
import requests

COLUMNS = ["instance", "group", "timestamp", "value"]


def parse_time(text):
    """ISO 8601 (a trailing Z or an offset; naive means UTC) or Unix seconds, as an aware UTC datetime."""
    try:
        return datetime.datetime.fromtimestamp(float(text), tz=datetime.timezone.utc)
    except ValueError:
        pass
    parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def datetime_range_day(start, end):
    """Day starts from start (inclusive) to end (exclusive), like the scripts' tools.datetime_range_day."""
    day = start
    while day < end:
        yield day
        day += datetime.timedelta(days=1)


def download_input_generator(metrics, start, end):
    for metric in metrics:
        for day in datetime_range_day(start, end):
            yield {"qstring": metric, "metric": metric, "start_time": day,
                   "end_time": day + datetime.timedelta(days=1)}


class DownloadPipeline:
    def __init__(self, url, api, step, chunk_seconds, out_dir):
        self.url = url.rstrip("/")
        self.api = api
        self.step = step
        self.chunk_seconds = chunk_seconds
        self.out_dir = out_dir
        self.session = requests.Session()
        self.requests = 0
        self._lock = threading.Lock()

    def _get(self, path, params):
        with self._lock:
            self.requests += 1
        response = self.session.get(self.url + path, params=params)
        if response.status_code != 200:
            raise RuntimeError("HTTP Status Code {} ({!r}) for {} {}".format(
                response.status_code, response.content, path, params))
        return response.json()["data"]["result"]

    def _rows_query_range(self, target):
        result = self._get("/api/v1/query_range", {
            "query": target["qstring"],
            "start": round(target["start_time"].timestamp()),
            "end": round(target["end_time"].timestamp()),
            "step": self.step,
        })
        return [{**series["metric"], "timestamp": t, "value": v}
                for series in result for t, v in series["values"]]

    def _rows_chunked_instant(self, target):
        start = round(target["start_time"].timestamp())
        end = round(target["end_time"].timestamp())
        chunk = self.chunk_seconds
        data = []
        while start < end:
            if start + chunk > end:
                chunk = end - start
            data += self._get("/api/v1/query", {
                "query": "{}[{}s]".format(target["qstring"], chunk),
                "time": start + chunk,
            })
            start += chunk
        # MetricSnapshotDataFrame keeps the last timestamp-value pair of each series per answer.
        return [{**series["metric"], "timestamp": series["values"][-1][0], "value": series["values"][-1][1]}
                for series in data]

    def get_prometheus_data(self, target):
        if self.api == "query_range":
            rows = self._rows_query_range(target)
        else:
            rows = self._rows_chunked_instant(target)
        metric_df = pd.DataFrame(rows).reindex(columns=COLUMNS)
        metric_df = metric_df.rename(columns={"value": target["metric"]})
        file_name = os.path.join(self.out_dir, "{0}-{1}-{2}.csv".format(
            target["qstring"],
            target["start_time"].strftime("%Y-%m-%d"),
            target["end_time"].strftime("%Y-%m-%d")))
        metric_df.to_csv(file_name, index=False)
        return len(metric_df)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="Prometheus base URL, e.g. http://127.0.0.1:9090")
    parser.add_argument("--metrics", required=True, help="comma-separated metric names")
    parser.add_argument("--start", required=True, help="first day, ISO 8601 or Unix seconds (UTC)")
    parser.add_argument("--end", required=True, help="end, exclusive: days start before it")
    parser.add_argument("--step", default="15", help="query_range step (seconds or a Prometheus duration)")
    parser.add_argument("--out", required=True, help="directory for the CSV files (created if missing)")
    parser.add_argument("--threads", type=int, default=64, help="thread pool size (the Python download scripts: 64)")
    parser.add_argument("--api", choices=["query_range", "chunked-instant"], default="query_range")
    parser.add_argument("--chunk-seconds", type=int, default=60, help="chunk for --api chunked-instant")
    args = parser.parse_args()

    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()]
    start, end = parse_time(args.start), parse_time(args.end)
    if not metrics:
        parser.error("--metrics must name at least one metric")
    if end <= start:
        parser.error("--end must be after --start")
    os.makedirs(args.out, exist_ok=True)
    # 64 threads share a pool of 10 connections, as in the Python download scripts; urllib3 would warn on every discarded one.
    logging.getLogger("urllib3").setLevel(logging.ERROR)

    pipeline = DownloadPipeline(args.url, args.api, args.step, args.chunk_seconds, args.out)
    targets = list(download_input_generator(metrics, start, end))
    began = time.perf_counter()
    samples = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.threads) as executor:
        futures = [executor.submit(pipeline.get_prometheus_data, target) for target in targets]
        for future in concurrent.futures.as_completed(futures):
            samples += future.result()
    seconds = time.perf_counter() - began
    print(json.dumps({"samples": samples, "seconds": round(seconds, 3), "requests": pipeline.requests,
                      "files": len(targets)}))


if __name__ == "__main__":
    main()
