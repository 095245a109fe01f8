package dev.atrest.terraform.plugin;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one netty event loop group of this process, for the plugin server and the client to the key service.
 *
 * <p>Owning it (instead of grpc's shared, lazily released groups) lets us stop its threads before exit: the
 * JVM waits up to 300 ms at exit for threads still inside native code, such as a selector's select(), and
 * Terraform waits for every provider process to exit. NIO rather than epoll: no native library to load at
 * start, and a plugin's handful of connections gains nothing from epoll.
 */
public final class EventLoops {

    private static final EventLoopGroup GROUP = new NioEventLoopGroup(2, new DefaultThreadFactory("atrest-io", true));

    private EventLoops() {
    }

    public static EventLoopGroup group() {
        return GROUP;
    }

    /** Stops the threads at once; nothing may use the network afterwards. */
    public static void shutdown() {
        GROUP.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(500);
    }
}
