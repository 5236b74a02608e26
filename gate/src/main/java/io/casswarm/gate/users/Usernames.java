package io.casswarm.gate.users;

/** The rule for user names. A user name is also a tenant name and a path segment to storage. */
public final class Usernames {

    /** Regular expression every user name matches. */
    public static final String PATTERN = "^[a-z][a-z0-9_-]{2,31}$";

    /** The rule in words, for error messages. */
    public static final String RULE =
            "must be 3 to 32 lower-case letters, digits, '_' or '-', starting with a letter";

    /** The administrator bootstrapped from the secret. */
    public static final String ADMIN = "admin";

    private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);

    private Usernames() {
    }

    public static boolean isValid(String name) {
        return name != null && COMPILED.matcher(name).matches();
    }
}
