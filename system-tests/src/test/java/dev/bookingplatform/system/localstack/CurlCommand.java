package dev.bookingplatform.system.localstack;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code curl} line the README shows, read the way a shell would (quotes, {@code $VARIABLES}, line
 * continuations) and sent with the JDK's HTTP client, so the test sends exactly what a reader pastes.
 */
record CurlCommand(String method, URI url, List<String[]> headers, String body) {

    static CurlCommand parse(String commandLine, java.util.Map<String, String> environment) {
        List<String> words = words(commandLine.replace("\\\n", " "), environment);
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

    /**
     * Splits on blanks outside quotes and expands {@code $NAME} outside single quotes, as a POSIX shell does for
     * this subset; a variable missing from {@code environment} fails, as {@code set -u} would.
     */
    private static List<String> words(String line, java.util.Map<String, String> environment) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        char[] chars = line.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            boolean quoted = quote != 0;
            if ((c == '\'' || c == '"') && (quote == 0 || quote == c)) {
                quote = quote == 0 ? c : 0;
                inWord = true;
            }
            else if (c == '$' && quote != '\'' && i + 1 < chars.length && Character.isJavaIdentifierStart(chars[i + 1])) {
                int end = i + 1;
                while (end < chars.length && (Character.isLetterOrDigit(chars[end]) || chars[end] == '_')) {
                    end++;
                }
                String name = line.substring(i + 1, end);
                String value = environment.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("$" + name + " is not set");
                }
                word.append(value);
                inWord = true;
                i = end - 1;
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
        if (quote != 0) {
            throw new IllegalArgumentException("Unbalanced quote in " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
