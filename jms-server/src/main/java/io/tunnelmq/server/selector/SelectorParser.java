package io.tunnelmq.server.selector;

import io.tunnelmq.server.selector.Expression.Type;
import io.tunnelmq.server.selector.Token.Kind;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A recursive-descent parser for the JMS message selector grammar. Precedence, lowest first: OR, AND, NOT,
 * comparisons (=, &lt;&gt;, &lt;, &lt;=, &gt;, &gt;=, [NOT] BETWEEN, [NOT] IN, [NOT] LIKE, IS [NOT] NULL),
 * binary + -, * /, unary + -. Literal operands of the wrong type (a string in arithmetic, a number as a
 * condition) are refused here; identifiers can hold anything and are checked when evaluated.
 */
final class SelectorParser {
    private final String source;
    private final List<Token> tokens;
    private int index;

    private SelectorParser(String source) {
        this.source = source;
        this.tokens = SelectorLexer.tokenize(source);
    }

    static Expression parse(String source) {
        SelectorParser parser = new SelectorParser(source);
        Expression expression = parser.condition(parser.or(), parser.tokens.get(0));
        Token rest = parser.peek();
        if (rest.kind() != Kind.END) {
            throw parser.error(rest, "unexpected " + rest.describe() + "; expected AND, OR or the end of the selector");
        }
        return expression;
    }

    private Expression or() {
        Expression left = and();
        while (peek().isKeyword("OR")) {
            Token op = next();
            left = new Nodes.Or(condition(left, op), condition(and(), op));
        }
        return left;
    }

    private Expression and() {
        Expression left = not();
        while (peek().isKeyword("AND")) {
            Token op = next();
            left = new Nodes.And(condition(left, op), condition(not(), op));
        }
        return left;
    }

    private Expression not() {
        if (peek().isKeyword("NOT")) {
            Token op = next();
            return new Nodes.Not(condition(not(), op));
        }
        return predicate();
    }

    private Expression predicate() {
        Expression left = additive();
        Token t = peek();
        if (t.kind() == Kind.OPERATOR && isComparison(t.text())) {
            next();
            Expression right = additive();
            if (!t.text().equals("=") && !t.text().equals("<>") && (!isOrderable(left) || !isOrderable(right))) {
                throw error(t, "'" + t.text() + "' compares numbers only; strings and booleans support only = and <>");
            }
            if (left.type() != Type.ANY && right.type() != Type.ANY && left.type() != right.type()) {
                throw error(t, "'" + t.text() + "' cannot compare a " + typeName(left) + " with a "
                        + typeName(right));
            }
            return new Nodes.Comparison(t.text(), left, right);
        }
        boolean negated = false;
        if (t.isKeyword("NOT")) {
            Token after = tokens.get(index + 1);
            if (!after.isKeyword("BETWEEN") && !after.isKeyword("IN") && !after.isKeyword("LIKE")) {
                throw error(after, "expected BETWEEN, IN or LIKE after NOT, found " + after.describe());
            }
            next();
            negated = true;
            t = peek();
        }
        if (t.isKeyword("BETWEEN")) {
            next();
            numeric(left, t);
            Expression low = numeric(additive(), t);
            expectKeyword("AND", "BETWEEN's lower and upper bound");
            Expression high = numeric(additive(), t);
            return new Nodes.Between(left, low, high, negated);
        }
        if (t.isKeyword("IN")) {
            next();
            requireStringable(left, t, "IN");
            return new Nodes.In(left, stringList(), negated);
        }
        if (t.isKeyword("LIKE")) {
            next();
            requireStringable(left, t, "LIKE");
            return new Nodes.Like(left, likePattern(), negated);
        }
        if (t.isKeyword("IS")) {
            next();
            boolean isNot = false;
            if (peek().isKeyword("NOT")) {
                next();
                isNot = true;
            }
            expectKeyword("NULL", "IS" + (isNot ? " NOT" : ""));
            return new Nodes.IsNull(left, isNot);
        }
        return left;
    }

    private Expression additive() {
        Expression left = multiplicative();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token op = next();
            left = new Nodes.Arithmetic(op.text().charAt(0), numeric(left, op), numeric(multiplicative(), op));
        }
        return left;
    }

    private Expression multiplicative() {
        Expression left = unary();
        while (peek().isOperator("*") || peek().isOperator("/")) {
            Token op = next();
            left = new Nodes.Arithmetic(op.text().charAt(0), numeric(left, op), numeric(unary(), op));
        }
        return left;
    }

    private Expression unary() {
        Token t = peek();
        if (t.isOperator("-")) {
            next();
            if (peek().kind() == Kind.EXACT_NUMBER) {
                // parsed with its sign so that -9223372036854775808 fits a long
                return exactNumber(next(), "-");
            }
            return new Nodes.Negate(numeric(unary(), t));
        }
        if (t.isOperator("+")) {
            next();
            return new Nodes.Plus(numeric(unary(), t));
        }
        return primary();
    }

    private Expression primary() {
        Token t = next();
        switch (t.kind()) {
            case STRING:
                return new Nodes.Literal(t.text(), Type.STRING);
            case EXACT_NUMBER:
                return exactNumber(t, "");
            case APPROXIMATE_NUMBER:
                double d = Double.parseDouble(t.text());
                if (Double.isInfinite(d)) {
                    throw error(t, "number " + t.text() + " is out of the range of a double");
                }
                return new Nodes.Literal(d, Type.NUMERIC);
            case IDENTIFIER:
                return new Nodes.Identifier(t.text());
            case LEFT_PAREN:
                Expression inner = or();
                Token close = next();
                if (close.kind() != Kind.RIGHT_PAREN) {
                    throw error(close, "expected ')' to close the '(' at position " + t.position() + ", found "
                            + close.describe());
                }
                return inner;
            case KEYWORD:
                if (t.text().equals("TRUE") || t.text().equals("FALSE")) {
                    return new Nodes.Literal(t.text().equals("TRUE"), Type.BOOLEAN);
                }
                if (t.text().equals("NULL")) {
                    throw error(t, "NULL is not a value: test for it with IS NULL or IS NOT NULL");
                }
                throw error(t, "expected an operand, found keyword " + t.text());
            default:
                throw error(t, "expected an operand, found " + t.describe());
        }
    }

    private Expression exactNumber(Token t, String sign) {
        try {
            return new Nodes.Literal(Long.parseLong(sign + t.text()), Type.NUMERIC);
        } catch (NumberFormatException e) {
            throw error(t, "number " + sign + t.text() + " is out of the range of a long");
        }
    }

    private Set<String> stringList() {
        Token open = next();
        if (open.kind() != Kind.LEFT_PAREN) {
            throw error(open, "expected '(' to start the IN list, found " + open.describe());
        }
        Set<String> values = new LinkedHashSet<>();
        while (true) {
            Token value = next();
            if (value.kind() != Kind.STRING) {
                throw error(value, "expected a string literal in the IN list, found " + value.describe());
            }
            values.add(value.text());
            Token separator = next();
            if (separator.kind() == Kind.RIGHT_PAREN) {
                return Set.copyOf(values);
            }
            if (separator.kind() != Kind.COMMA) {
                throw error(separator, "expected ',' or ')' in the IN list, found " + separator.describe());
            }
        }
    }

    private Pattern likePattern() {
        Token pattern = next();
        if (pattern.kind() != Kind.STRING) {
            throw error(pattern, "expected a string literal pattern after LIKE, found " + pattern.describe());
        }
        Character escape = null;
        if (peek().isKeyword("ESCAPE")) {
            next();
            Token e = next();
            if (e.kind() != Kind.STRING || e.text().length() != 1) {
                throw error(e, "expected a one-character string literal after ESCAPE, found " + e.describe());
            }
            escape = e.text().charAt(0);
        }
        StringBuilder regex = new StringBuilder();
        String p = pattern.text();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (escape != null && c == escape) {
                if (++i >= p.length()) {
                    throw error(pattern, "LIKE pattern '" + p + "' ends with its escape character '" + escape + "'");
                }
                regex.append(Pattern.quote(String.valueOf(p.charAt(i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private Expression condition(Expression e, Token at) {
        if (e.type() == Type.NUMERIC || e.type() == Type.STRING) {
            throw error(at, "expected a condition but found a " + e.type().name().toLowerCase() + " expression");
        }
        return e;
    }

    private Expression numeric(Expression e, Token op) {
        if (e.type() == Type.BOOLEAN || e.type() == Type.STRING) {
            throw error(op, "'" + op.text() + "' needs numbers, not a " + typeName(e) + " expression");
        }
        return e;
    }

    private static String typeName(Expression e) {
        return e.type().name().toLowerCase();
    }

    private void requireStringable(Expression e, Token op, String what) {
        if (!(e instanceof Nodes.Identifier)) {
            throw error(op, what + " needs an identifier on its left");
        }
    }

    private void expectKeyword(String keyword, String after) {
        Token t = next();
        if (!t.isKeyword(keyword)) {
            throw error(t, "expected " + keyword + " after " + after + ", found " + t.describe());
        }
    }

    private static boolean isOrderable(Expression e) {
        return e.type() == Type.NUMERIC || e.type() == Type.ANY;
    }

    private static boolean isComparison(String op) {
        return switch (op) {
            case "=", "<>", "<", "<=", ">", ">=" -> true;
            default -> false;
        };
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.END) {
            index++;
        }
        return t;
    }

    private SelectorException error(Token at, String reason) {
        if (at.kind() == Kind.END && reason.startsWith("expected an operand")) {
            reason = "expected an operand";
        }
        return new SelectorException(source, at.position(), reason);
    }
}
