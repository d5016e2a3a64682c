package io.herald.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JcmdTest {

    @Test
    void theHeapOfG1IsOneLineAndTheSerialCollectorsIsTheSumOfItsGenerations() {
        String g1 = """
                 garbage-first heap   total 98304K, used 23456K [0x0000000600000000, 0x0000000800000000)
                  region size 4096K, 3 young (12288K), 0 survivors (0K)
                 Metaspace       used 60123K, committed 60800K, reserved 1105920K
                """;
        String serial = """
                 def new generation   total 14784K, used 1582K [0x0000000687400000, 0x0000000688400000, 0x0000000688400000)
                  eden space 13184K,  12% used [0x0000000687400000, 0x000000068758b9b0, 0x00000006880e0000)
                  from space 1600K,   0% used [0x00000006880e0000, 0x00000006880e0000, 0x0000000688270000)
                 tenured generation   total 370688K, used 1000K [0x0000000688400000, 0x000000069ee00000, 0x0000000800000000)
                   the space 370688K,   0% used [0x0000000688400000, 0x0000000688400000, 0x0000000688400200, 0x000000069ee00000)
                 Metaspace       used 121K, committed 320K, reserved 1114112K
                """;
        assertArrayEquals(new long[] {98304L * 1024, 23456L * 1024}, Jcmd.committedAndUsed(g1).orElseThrow());
        assertArrayEquals(new long[] {(14784L + 370688L) * 1024, (1582L + 1000L) * 1024}, Jcmd.committedAndUsed(serial).orElseThrow());
        assertTrue(Jcmd.committedAndUsed("no heap here").isEmpty());
    }
}
