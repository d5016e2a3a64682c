package io.herald.recovery.pusher;

import java.util.Optional;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Names the device in the client's {@code pusher:signin} ({@code herald_device}), which is how
 * Herald tells a user's devices apart and delivers to each what it has not acknowledged
 * (docs/protocol.md, "Offline delivery"). pusher-java-client builds the sign-in itself from the
 * app's {@code UserAuthenticator}, so the id is added to the frame on its way out; it is not part
 * of the signature. The id is checked as Herald checks it, so a bad one fails when the helper is
 * built rather than as a {@code pusher:error} on every sign-in.
 */
final class DeviceSignin {

    private static final String SIGNIN = "pusher:signin";
    private static final String DEVICE = "herald_device";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final String device;

    DeviceSignin(String device) {
        if (device == null || !ID.matcher(device).matches()) {
            throw new IllegalArgumentException("A Herald device id is 1 to 128 characters of A-Za-z0-9_.:-, was "
                    + (device == null ? "null" : "\"" + device + "\""));
        }
        this.device = device;
    }

    /** The frame to send instead of {@code frame}: a sign-in names the device, anything else goes as it is. */
    String outgoing(String frame) {
        if (!frame.contains(SIGNIN)) {
            return frame;
        }
        Optional<JsonObject> parsed = Json.parse(frame);
        if (parsed.isEmpty() || !SIGNIN.equals(Json.string(parsed.get().get("event")))) {
            return frame;
        }
        JsonElement data = parsed.get().get("data");
        if (data == null || !data.isJsonObject()) {
            return frame;
        }
        data.getAsJsonObject().addProperty(DEVICE, device);
        return Json.GSON.toJson(parsed.get());
    }
}
