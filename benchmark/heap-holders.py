#!/usr/bin/env python3
"""What holds the objects a heap has per connection: reads an HPROF heap dump (jcmd <pid>
GC.heap_dump <file>) and, for the classes named, counts their instances by the field that holds
them, climbing through collections, arrays and strings to the first object that is none of these.
Rows with at least half as many instances as connections are printed, per connection.

  python3 benchmark/heap-holders.py <dump.hprof> <connections> [class,class,...]

Class names are in the dump's form: java/lang/String, [B, java/util/concurrent/ConcurrentHashMap.
Used for docs/performance.md, "Memory per idle connection".
"""
import collections
import struct
import sys

U8 = struct.Struct('>Q')
U4 = struct.Struct('>I')
U2 = struct.Struct('>H')
SIZE = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
CONTAINERS = ('java/util/concurrent/ConcurrentHashMap', 'java/util/HashMap', 'java/util/ArrayList', 'java/lang/String',
              'java/util/Collections', 'java/util/concurrent/CopyOnWrite', 'java/util/ImmutableCollections', '[L',
              'java/util/LinkedHashMap', 'java/util/HashSet', 'java/util/concurrent/ConcurrentLinkedDeque',
              'io/vertx/core/http/impl/headers')
DEFAULT_CLASSES = ('java/lang/String,[B,java/util/concurrent/ConcurrentHashMap,[Ljava/lang/Object;,'
                   'java/util/concurrent/ConcurrentHashMap$Node,[Ljava/util/concurrent/ConcurrentHashMap$Node;')


def read(path):
    data = open(path, 'rb').read()
    p = data.index(b'\0') + 1
    if U4.unpack_from(data, p)[0] != 8:
        sys.exit('only dumps with 8-byte ids are read')
    p += 12
    names, class_names, classes, instances, arrays, kinds = {}, {}, {}, [], [], {}
    while p < len(data):
        tag, length = data[p], U4.unpack_from(data, p + 5)[0]
        p += 9
        end = p + length
        if tag == 0x01:
            names[U8.unpack_from(data, p)[0]] = data[p + 8:end].decode('utf-8', 'replace')
        elif tag == 0x02:
            class_names[U8.unpack_from(data, p + 4)[0]] = U8.unpack_from(data, p + 16)[0]
        elif tag in (0x0c, 0x1c):
            q = p
            while q < end:
                sub = data[q]
                q += 1
                if sub in (0xff, 0x05, 0x07):
                    q += 8
                elif sub in (0x04, 0x06):
                    q += 12
                elif sub in (0x01, 0x02, 0x03, 0x08):
                    q += 16
                elif sub == 0x20:
                    cid, sup = U8.unpack_from(data, q)[0], U8.unpack_from(data, q + 12)[0]
                    q += 64  # id, stack serial, super, loader, signers, domain, 2 reserved, instance size
                    count = U2.unpack_from(data, q)[0]
                    q += 2
                    for _ in range(count):
                        q += 3 + SIZE[data[q + 2]]
                    count = U2.unpack_from(data, q)[0]
                    q += 2
                    for _ in range(count):
                        q += 9 + SIZE[data[q + 8]]
                    count = U2.unpack_from(data, q)[0]
                    q += 2
                    fields = []
                    for _ in range(count):
                        fields.append((U8.unpack_from(data, q)[0], data[q + 8]))
                        q += 9
                    classes[cid] = (sup, fields)
                elif sub == 0x21:
                    oid, cid, size = U8.unpack_from(data, q)[0], U8.unpack_from(data, q + 12)[0], U4.unpack_from(data, q + 20)[0]
                    instances.append((oid, cid, q + 24))
                    kinds[oid] = cid
                    q += 24 + size
                elif sub == 0x22:
                    oid, count, cid = U8.unpack_from(data, q)[0], U4.unpack_from(data, q + 12)[0], U8.unpack_from(data, q + 16)[0]
                    arrays.append((oid, cid, q + 24, count))
                    kinds[oid] = cid
                    q += 24 + 8 * count
                elif sub == 0x23:
                    oid, count, element = U8.unpack_from(data, q)[0], U4.unpack_from(data, q + 12)[0], data[q + 16]
                    kinds[oid] = -element
                    q += 17 + SIZE[element] * count
                else:
                    sys.exit('unknown heap dump record %x' % sub)
        p = end
    return data, names, class_names, classes, instances, arrays, kinds


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data, names, class_names, classes, instances, arrays, kinds = read(sys.argv[1])
    connections = int(sys.argv[2])
    wanted = set((sys.argv[3] if len(sys.argv) > 3 else DEFAULT_CLASSES).split(','))
    primitive = {4: '[Z', 5: '[C', 6: '[F', 7: '[D', 8: '[B', 9: '[S', 10: '[I', 11: '[J'}

    def class_name(cid):
        return primitive.get(-cid, '?') if cid < 0 else names.get(class_names.get(cid), '?%x' % cid)

    layouts = {}

    def fields(cid):
        if cid not in layouts:
            out, c = [], cid
            while c in classes:
                sup, own = classes[c]
                out.extend((names.get(name, '?'), kind) for name, kind in own)
                c = sup
            layouts[cid] = out
        return layouts[cid]

    holder = {}
    for oid, cid, start in instances:
        q, owner = start, class_name(cid)
        for name, kind in fields(cid):
            if kind == 2:
                ref = U8.unpack_from(data, q)[0]
                if ref and ref not in holder:
                    holder[ref] = (oid, owner + '.' + name)
            q += SIZE[kind]
    for oid, cid, start, count in arrays:
        owner = class_name(cid) + '[]'
        for i in range(count):
            ref = U8.unpack_from(data, start + 8 * i)[0]
            if ref and ref not in holder:
                holder[ref] = (oid, owner)

    counts = collections.Counter()
    for oid, cid in kinds.items():
        name = class_name(cid)
        if name not in wanted:
            continue
        path, current = [], oid
        for _ in range(6):
            if current not in holder:
                path.append('(a root)')
                break
            parent, label = holder[current]
            path.append(label)
            if not label.startswith(CONTAINERS):
                break
            current = parent
        counts[(name, ' < '.join(path))] += 1
    for (name, path), count in counts.most_common():
        if count >= connections / 2:
            print('%6.2f  %-45s <- %s' % (count / connections, name, path))


if __name__ == '__main__':
    main()
