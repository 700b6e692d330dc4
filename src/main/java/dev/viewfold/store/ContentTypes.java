package dev.viewfold.store;

import java.net.URLConnection;

/** The content type of an object or file from its name: what S3 stores and what HTTP answers with. */
public final class ContentTypes {

    private ContentTypes() {
    }

    public static String of(String name) {
        if (name.endsWith(".json")) {
            return "application/json";
        }
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        String guessed = URLConnection.guessContentTypeFromName(name);
        return guessed == null ? "application/octet-stream" : guessed;
    }
}
