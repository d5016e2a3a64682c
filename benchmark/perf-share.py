#!/usr/bin/env python3
"""Share of perf samples whose stack holds a frame containing each given text, and the samples
by thread. Reads the output of `perf script` for a `perf record -g` of one process.

  perf record -F 999 -g -p <pid> -o run.perf -- sleep 15
  perf script -i run.perf > run.script
  python3 benchmark/perf-share.py run.script __send epoll_wait CommandDecoder

Java frames have names only with `jcmd <pid> Compiler.perfmap` run before `perf script`, and
whole stacks only with -XX:+PreserveFramePointer. Used for docs/performance.md, "The floor under
CPU per delivery".
"""
import collections
import re
import sys

samples = [s for s in open(sys.argv[1]).read().split('\n\n') if s.strip().count('\n') >= 1]
threads = collections.Counter(re.split(r'\s+\d', s.strip().split('\n')[0].strip())[0] for s in samples)
print(f'samples {len(samples)}')
for thread, count in threads.most_common(8):
    print(f'  thread {thread:24s} {100.0 * count / len(samples):5.1f} %')
for text in sys.argv[2:]:
    hits = sum(1 for s in samples if text in s.split('\n', 1)[1])
    print(f'{100.0 * hits / len(samples):5.1f} %  {text}')
