package io.tunnelmq.server.admin;

/** Why an admin command failed, in one line for the operator. */
final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AdminException(String message) {
        super(message);
    }
}
