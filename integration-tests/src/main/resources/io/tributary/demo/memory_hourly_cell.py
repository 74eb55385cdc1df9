#%python
#%input=node_memory
#%output=memory_hourly
#%schema=st(field(instance,string),field(hour,timestamp),field(utilisation,double),field(peak_utilisation,double),field(mean_active_bytes,double),field(mean_cached_bytes,double),field(samples,long))
#%dataMode=model
#%cache=false
#%env=:

# Memory utilisation per instance per hour, from the wide node_memory table: the share of MemTotal in use,
# page cache excluded, i.e. 1 - (MemFree + Cached) / MemTotal, averaged (and peaked) over each hour; the mean
# Active and Cached bytes; and how many 15 s points the hour has (fewer than 240 while a machine was down).
from collections import defaultdict

from pyjava.api.mlsql import PythonContext, RayContext

# type hint
context: PythonContext = context

ray_context = RayContext.connect(globals(), None)

hours = defaultdict(lambda: {"sum": 0.0, "peak": 0.0, "active": 0.0, "cached": 0.0, "points": 0})
for row in ray_context.collect():
    total, free, cached = row["node_memory_MemTotal_bytes"], row["node_memory_MemFree_bytes"], \
        row["node_memory_Cached_bytes"]
    if not total or free is None or cached is None:
        continue  # a point where one of the metrics had no sample
    utilisation = 1.0 - (free + cached) / total
    hour = row["timestamp"].replace(minute=0, second=0, microsecond=0)
    bucket = hours[(row["instance"], hour)]
    bucket["sum"] += utilisation
    bucket["peak"] = max(bucket["peak"], utilisation)
    bucket["active"] += row["node_memory_Active_bytes"] or 0.0
    bucket["cached"] += cached
    bucket["points"] += 1

context.build_result({
    "instance": instance,
    "hour": hour,
    "utilisation": b["sum"] / b["points"],
    "peak_utilisation": b["peak"],
    "mean_active_bytes": b["active"] / b["points"],
    "mean_cached_bytes": b["cached"] / b["points"],
    "samples": b["points"],
} for (instance, hour), b in sorted(hours.items()))
