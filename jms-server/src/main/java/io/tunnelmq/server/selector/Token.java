package io.tunnelmq.server.selector;

/**
 * One lexical token of a selector.
 *
 * @param kind     what it is
 * @param text     the source text (for a string literal: its value with {@code ''} unescaped)
 * @param position 0-based index of its first character
 */
record Token(Kind kind, String text, int position) {

    enum Kind {
        IDENTIFIER, KEYWORD, STRING, EXACT_NUMBER, APPROXIMATE_NUMBER, OPERATOR, LEFT_PAREN, RIGHT_PAREN, COMMA, END
    }

    boolean isKeyword(String keyword) {
        return kind == Kind.KEYWORD && text.equals(keyword);
    }

    boolean isOperator(String operator) {
        return kind == Kind.OPERATOR && text.equals(operator);
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case END -> "the end of the selector";
            case STRING -> "string '" + text.replace("'", "''") + "'";
            default -> "'" + text + "'";
        };
    }
}
