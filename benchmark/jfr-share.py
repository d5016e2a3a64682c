#!/usr/bin/env python3
"""Share of JFR execution samples whose stack has a frame matching a pattern (default: metrics code)."""
import re, subprocess, sys
path = sys.argv[1]
pattern = re.compile(sys.argv[2] if len(sys.argv) > 2 else r'io\.micrometer\.|GatewayMetrics|MeterRegistry|io\.quarkus\.micrometer')
out = subprocess.run(['jfr', 'print', '--stack-depth', '128', '--events', 'jdk.ExecutionSample', path],
                     capture_output=True, text=True).stdout
samples = out.split('jdk.ExecutionSample')[1:]
by_thread = {}
hits = 0
hit_tops = {}
for s in samples:
    m = re.search(r'sampledThread = "([^"]*)"', s)
    thread = re.sub(r'\d+', '#', m.group(1)) if m else '?'
    frames = re.findall(r'^\s+([\w.$<>]+)\(', s, re.M)
    hit = any(pattern.search(f) for f in frames)
    t = by_thread.setdefault(thread, [0, 0])
    t[0] += 1
    if hit:
        t[1] += 1
        hits += 1
        first = next(f for f in frames if pattern.search(f))
        hit_tops[first] = hit_tops.get(first, 0) + 1
print(f"samples {len(samples)}, with a metrics frame {hits} ({100.0 * hits / max(1, len(samples)):.2f} %)")
for thread, (n, h) in sorted(by_thread.items(), key=lambda kv: -kv[1][0])[:8]:
    print(f"  {thread:40s} {n:6d} samples, {h:5d} with metrics ({100.0 * h / max(1, n):.2f} %)")
for f, n in sorted(hit_tops.items(), key=lambda kv: -kv[1])[:10]:
    print(f"  metrics frame {f}: {n}")
