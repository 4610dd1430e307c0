package io.tunnelmq.server.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Splits a selector into tokens. Keywords are case-insensitive and normalised to upper case. */
final class SelectorLexer {
    static final Set<String> KEYWORDS = Set.of("NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "NULL", "ESCAPE",
            "TRUE", "FALSE");

    private final String source;
    private int pos;

    private SelectorLexer(String source) {
        this.source = source;
    }

    static List<Token> tokenize(String source) {
        SelectorLexer lexer = new SelectorLexer(source);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Token.Kind.END);
        return tokens;
    }

    private Token next() {
        while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= source.length()) {
            return new Token(Token.Kind.END, "", pos);
        }
        char c = source.charAt(pos);
        if (c == '\'') {
            return string(start);
        }
        if (Character.isDigit(c) || (c == '.' && pos + 1 < source.length() && Character.isDigit(source.charAt(pos + 1)))) {
            return number(start);
        }
        if (Character.isJavaIdentifierStart(c)) {
            while (pos < source.length() && Character.isJavaIdentifierPart(source.charAt(pos))) {
                pos++;
            }
            String word = source.substring(start, pos);
            String upper = word.toUpperCase(Locale.ROOT);
            return KEYWORDS.contains(upper) ? new Token(Token.Kind.KEYWORD, upper, start)
                    : new Token(Token.Kind.IDENTIFIER, word, start);
        }
        pos++;
        switch (c) {
            case '(':
                return new Token(Token.Kind.LEFT_PAREN, "(", start);
            case ')':
                return new Token(Token.Kind.RIGHT_PAREN, ")", start);
            case ',':
                return new Token(Token.Kind.COMMA, ",", start);
            case '=', '+', '-', '*', '/':
                return new Token(Token.Kind.OPERATOR, String.valueOf(c), start);
            case '<':
                if (pos < source.length() && (source.charAt(pos) == '=' || source.charAt(pos) == '>')) {
                    pos++;
                }
                return new Token(Token.Kind.OPERATOR, source.substring(start, pos), start);
            case '>':
                if (pos < source.length() && source.charAt(pos) == '=') {
                    pos++;
                }
                return new Token(Token.Kind.OPERATOR, source.substring(start, pos), start);
            default:
                throw new SelectorException(source, start, "unexpected character '" + c + "'");
        }
    }

    private Token string(int start) {
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= source.length()) {
                throw new SelectorException(source, start, "string literal is not closed; end it with '");
            }
            char c = source.charAt(pos++);
            if (c == '\'') {
                if (pos < source.length() && source.charAt(pos) == '\'') {
                    value.append('\'');
                    pos++;
                } else {
                    return new Token(Token.Kind.STRING, value.toString(), start);
                }
            } else {
                value.append(c);
            }
        }
    }

    /**
     * Digits [. digits] [E [+-] digits], or . digits [...]; an exact number may end with L (as Artemis allows) and
     * may be written in hexadecimal ({@code 0x1d}) or octal ({@code 035}) like a Java integer literal. The token of
     * an exact number holds its decimal digits.
     */
    private Token number(int start) {
        if (source.startsWith("0x", pos) || source.startsWith("0X", pos)) {
            return hexadecimal(start);
        }
        boolean approximate = false;
        digits();
        if (pos < source.length() && source.charAt(pos) == '.') {
            approximate = true;
            pos++;
            digits();
        }
        if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
            approximate = true;
            pos++;
            if (pos < source.length() && (source.charAt(pos) == '+' || source.charAt(pos) == '-')) {
                pos++;
            }
            int exponent = pos;
            digits();
            if (pos == exponent) {
                throw new SelectorException(source, pos, "the exponent of number '" + source.substring(start, pos)
                        + "' has no digits");
            }
        }
        String text = source.substring(start, pos);
        if (!approximate && pos < source.length() && (source.charAt(pos) == 'l' || source.charAt(pos) == 'L')) {
            pos++;
        } else if (pos < source.length() && (source.charAt(pos) == 'f' || source.charAt(pos) == 'F'
                || source.charAt(pos) == 'd' || source.charAt(pos) == 'D')) {
            approximate = true;
            pos++;
        }
        if (pos < source.length() && Character.isJavaIdentifierPart(source.charAt(pos))) {
            throw new SelectorException(source, pos, "unexpected character '" + source.charAt(pos)
                    + "' after number " + text);
        }
        if (!approximate && text.length() > 1 && text.charAt(0) == '0') {
            text = radix(text.substring(1), 8, "octal", start);
        }
        return new Token(approximate ? Token.Kind.APPROXIMATE_NUMBER : Token.Kind.EXACT_NUMBER, text, start);
    }

    private Token hexadecimal(int start) {
        pos += 2;
        int first = pos;
        while (pos < source.length() && Character.digit(source.charAt(pos), 16) >= 0) {
            pos++;
        }
        String digits = source.substring(first, pos);
        if (pos < source.length() && (source.charAt(pos) == 'l' || source.charAt(pos) == 'L')) {
            pos++;
        }
        if (digits.isEmpty() || pos < source.length() && Character.isJavaIdentifierPart(source.charAt(pos))) {
            throw new SelectorException(source, start, "hexadecimal number '" + source.substring(start, pos)
                    + "' needs hexadecimal digits after 0x");
        }
        return new Token(Token.Kind.EXACT_NUMBER, radix(digits, 16, "hexadecimal", start), start);
    }

    /** The decimal digits of a literal written in another radix; it must fit a long, as in Java. */
    private String radix(String digits, int radix, String name, int start) {
        try {
            return Long.toString(Long.parseUnsignedLong(digits, radix));
        } catch (NumberFormatException e) {
            throw new SelectorException(source, start, name + " number '" + source.substring(start, pos)
                    + "' is not a valid " + name + " long");
        }
    }

    private void digits() {
        while (pos < source.length() && Character.isDigit(source.charAt(pos))) {
            pos++;
        }
    }
}
