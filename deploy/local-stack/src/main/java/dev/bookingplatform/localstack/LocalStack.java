package dev.bookingplatform.localstack;

/**
 * Entry point of the embedded local stack.
 *
 * <p>Not built yet: the services and the system bootstrap it starts come with later issues. It says so
 * and exits with a non-zero status rather than pretending to run anything.
 */
public final class LocalStack {

    private LocalStack() {
    }

    public static void main(String[] args) {
        System.err.println("""
                The embedded local stack is not built yet: it lands once the four services and the system
                bootstrap exist. Until then, './mvnw verify' runs every module against real PostgreSQL,
                Kafka and Apicurio Registry.""");
        System.exit(2);
    }
}
