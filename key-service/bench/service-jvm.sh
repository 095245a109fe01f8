# Sourced by the bench scripts that start the packaged key service (data-plane.sh, capacity.sh): the service's
# JVM, in one place. Sets java_bin (BENCH_JAVA, default java on PATH) and jvm_flags (BENCH_GC picks the
# collector); run it with MALLOC_ARENA_MAX=2 in its environment.
#
# Measured with -XX:NativeMemoryTracking=summary under load: besides the heap, about 70 MB of class metadata
# (Quarkus, Hibernate, the AWS SDK), 20 MB of JIT code, 18 MB of symbols and 10 MB of thread stacks are committed
# whatever the heap, so the heap is the one lever: capped at 128 MB, about twice what stays live under the
# data-plane load. Serial GC: with two cores, a parallel or concurrent collector's threads compete with the
# request threads, and a young collection of a heap this small takes a millisecond or two. The other caps bound
# what may grow beyond the heap (class metadata, JIT code, Netty's direct buffers, thread stacks);
# MALLOC_ARENA_MAX keeps glibc from giving each busy thread its own 64 MB malloc arena.
read -r -a gc_flags <<<"${BENCH_GC:--XX:+UseSerialGC}"
jvm_flags=("${gc_flags[@]}" -Xms64m -Xmx128m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=48m
  -XX:MaxDirectMemorySize=32m -Xss512k)

# Chosen by version, so that one script serves Java 17 and the Temurin 25 beside it: from JDK 25, compact object
# headers (8 bytes instead of 12; a product option there, absent in 17) make every request's objects smaller, so
# the young generation fills less often and the heap holds the same with less memory.
java_bin="${BENCH_JAVA:-java}"
java_major=$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
[ "${java_major%%.*}" -ge 25 ] 2>/dev/null && jvm_flags+=(-XX:+UseCompactObjectHeaders)
# Give freed native memory back to the system every 5 s (glibc keeps what the JVM frees, compiler arenas among it;
# with it the largest RSS of a data-plane run was 282-290 MB instead of 293-300). The option exists from 17.0.9
# (experimental there, a product option in 25): used where this JVM knows it.
trim=(-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000)
"$java_bin" "${trim[@]}" -version >/dev/null 2>&1 && jvm_flags+=("${trim[@]}")
