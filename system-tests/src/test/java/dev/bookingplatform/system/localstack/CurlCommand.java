package dev.bookingplatform.system.localstack;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code curl} line the README shows, read the way a shell would (single quotes, line continuations)
 * and sent with the JDK's HTTP client, so the test sends exactly what a reader pastes.
 */
record CurlCommand(String method, URI url, List<String[]> headers, String body) {

    static CurlCommand parse(String commandLine) {
        List<String> words = words(commandLine.replace("\\\n", " "));
        if (words.isEmpty() || !words.get(0).equals("curl")) {
            throw new IllegalArgumentException("Not a curl command: " + commandLine);
        }
        String method = null;
        URI url = null;
        List<String[]> headers = new ArrayList<>();
        String body = null;
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-i" -> { }
                case "-X" -> method = words.get(++i);
                case "-H" -> {
                    String[] header = words.get(++i).split(":\\s*", 2);
                    headers.add(header);
                }
                case "-d" -> body = words.get(++i);
                default -> {
                    if (words.get(i).startsWith("-")) {
                        throw new IllegalArgumentException("This parser does not know curl's " + words.get(i));
                    }
                    url = URI.create(words.get(i));
                }
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("No URL in " + commandLine);
        }
        String verb = method != null ? method : body != null ? "POST" : "GET";
        return new CurlCommand(verb, url, headers, body != null ? body : "");
    }

    HttpRequest request() {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).method(method,
                body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(header -> request.header(header[0], header[1]));
        return request.build();
    }

    /** Splits on blanks outside single quotes, as a POSIX shell does for this subset. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                inWord = true;
            }
            else if (!quoted && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            }
            else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("Unbalanced quote in " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
