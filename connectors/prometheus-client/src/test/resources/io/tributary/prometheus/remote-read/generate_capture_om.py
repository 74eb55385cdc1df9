import random, math
random.seed(7)
start = 1672531200000  # 2023-01-01T00:00:00Z in ms
lines = ["# HELP capture_gauge Gauge with irregular timestamps and special values.", "# TYPE capture_gauge gauge"]
def fmt_ts(ms): return "%d.%03d" % (ms // 1000, ms % 1000)
def fmt_v(v):
    if isinstance(v, str): return v
    return repr(v)
for inst in ["a", "b"]:
    t = start
    for i in range(400):
        # time steps: regular, jittered, larger jumps, hour gaps
        r = i % 50
        if r == 10: step = 15000 + 9000      # dod 9000 -> 14 bit? (>8192 -> 17 bits)
        elif r == 20: step = 15000 + 60000   # 17 bits
        elif r == 30: step = 15000 + 400000  # 20 bits
        elif r == 40: step = 3600000         # 64 bits
        elif r % 3 == 0: step = 15000 + random.randint(-500, 500)
        else: step = 15000
        t += step
        k = i % 17
        if k == 3: v = "NaN"
        elif k == 5: v = "+Inf"
        elif k == 7: v = "-Inf"
        elif k == 9: v = -0.0
        elif k == 11: v = -1234.5678 * i
        elif k == 13: v = 1e300 / (i + 1)
        else: v = float(i * 1000 + (7 if inst == "b" else 0))
        if k % 2 == 0 and k not in (3,5,7,9,11,13): v = math.sin(i) * 1e6
        lines.append('capture_gauge{instance="%s"} %s %s' % (inst, fmt_v(v), fmt_ts(t)))
lines.append("# HELP capture_restarts Counter that resets.")
lines.append("# TYPE capture_restarts counter")
t = start
for i in range(300):
    t += 15000
    lines.append('capture_restarts_total{instance="a"} %d %s' % (5 * (i % 40), fmt_ts(t)))
lines.append("# EOF")
open("capture.om", "w").write("\n".join(lines) + "\n")
