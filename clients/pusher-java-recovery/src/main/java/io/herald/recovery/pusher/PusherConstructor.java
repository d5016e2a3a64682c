package io.herald.recovery.pusher;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.util.Factory;

/**
 * The one place the helper reaches past pusher-java-client's public API. The client's
 * {@link Factory} is public and meant to be extended (it builds every socket), but the
 * {@code Pusher(String, PusherOptions, Factory)} constructor that takes one is package-private,
 * and a factory cannot be swapped into a {@code Pusher} that exists: its connection holds the
 * factory from construction on. Nothing public lets a client rewrite its subscribe frames or see
 * the {@code subscription_succeeded} frame, so there is no public way to recover.
 *
 * <p>Checked against pusher-java-client 2.4.4, the version Herald pins. The constructor is opened
 * by reflection, which works on the class path and, since an automatic module opens its
 * packages, on the module path too.
 */
final class PusherConstructor {

    private static final String CHECKED_VERSION = "2.4.4";

    private PusherConstructor() {
    }

    static Pusher withFactory(String apiKey, PusherOptions options, Factory factory) {
        Constructor<Pusher> constructor;
        try {
            constructor = Pusher.class.getDeclaredConstructor(String.class, PusherOptions.class, Factory.class);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalStateException("This pusher-java-client has no Pusher(String, PusherOptions, Factory) constructor that "
                    + "Herald's recovery helper can open; the helper was checked against " + CHECKED_VERSION, e);
        }
        try {
            return constructor.newInstance(apiKey, options, factory);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException refusal) {
                throw refusal;
            }
            throw new IllegalStateException("pusher-java-client failed to start", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("pusher-java-client's Pusher cannot be built by Herald's recovery helper", e);
        }
    }
}
