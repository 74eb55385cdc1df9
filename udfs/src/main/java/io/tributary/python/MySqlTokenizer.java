package io.tributary.python;

import java.util.Locale;

/**
 * Splits a MySQL {@code CREATE TABLE} statement into tokens on demand, so nothing after the column list (table options,
 * partitioning, a dump's trailing {@code /*!...*}{@code /}) is ever read. Skips whitespace and MySQL's three comment
 * forms; unquotes {@code `names`} (a doubled backquote is one backquote) and string literals.
 */
final class MySqlTokenizer {

    enum Kind {
        WORD,
        QUOTED_NAME,
        STRING,
        NUMBER,
        SYMBOL,
        END
    }

    record Token(Kind kind, String text, int offset) {

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(char c) {
            return kind == Kind.SYMBOL && text.charAt(0) == c;
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }

        /** How an error message names this token. */
        String describe() {
            return switch (kind) {
                case END -> "the end of the text";
                case STRING -> "the string '" + text + "'";
                case QUOTED_NAME -> "`" + text + "`";
                default -> "'" + text + "'";
            };
        }
    }

    private final String text;
    private int pos;
    private Token lookahead;

    MySqlTokenizer(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }

    Token peek() {
        if (lookahead == null) {
            lookahead = scan();
        }
        return lookahead;
    }

    Token next() {
        Token token = peek();
        lookahead = null;
        return token;
    }

    private Token scan() {
        skipSpaceAndComments();
        if (pos >= text.length()) {
            return new Token(Kind.END, "", text.length());
        }
        int start = pos;
        char c = text.charAt(pos);
        if (c == '`') {
            return new Token(Kind.QUOTED_NAME, readQuoted('`', false, "backquoted name"), start);
        }
        if (c == '\'' || c == '"') {
            return new Token(Kind.STRING, readQuoted(c, true, "string"), start);
        }
        if (isWordChar(c)) {
            boolean digitsOnly = true;
            while (pos < text.length() && (isWordChar(text.charAt(pos)) || (digitsOnly && text.charAt(pos) == '.'))) {
                digitsOnly &= Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.';
                pos++;
            }
            return new Token(digitsOnly ? Kind.NUMBER : Kind.WORD, text.substring(start, pos), start);
        }
        pos++;
        return new Token(Kind.SYMBOL, String.valueOf(c), start);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#'
                    || (text.startsWith("--", pos)
                            && (pos + 2 == text.length() || Character.isWhitespace(text.charAt(pos + 2))))) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (text.startsWith("/*", pos)) {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw SchemaSyntaxError.at(
                            MySqlCreateTableParser.NOTATION, text, pos, "comment '/*' is never closed with '*/'");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    /** Reads a quoted token starting at the opening quote; a doubled quote stands for one. */
    private String readQuoted(char quote, boolean backslashEscapes, String what) {
        int start = pos;
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                if (pos < text.length() && text.charAt(pos) == quote) {
                    value.append(quote);
                    pos++;
                } else {
                    return value.toString();
                }
            } else if (c == '\\' && backslashEscapes && pos < text.length()) {
                value.append(unescape(text.charAt(pos++)));
            } else {
                value.append(c);
            }
        }
        throw SchemaSyntaxError.at(
                MySqlCreateTableParser.NOTATION, text, start, what + " opened with " + quote + " is never closed");
    }

    private static String unescape(char escaped) {
        return switch (escaped) {
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            case '0' -> "\0";
            case 'b' -> "\b";
            case 'Z' -> "\u001a";
            // MySQL keeps the backslash before % and _ (they are LIKE wildcards).
            case '%', '_' -> "\\" + escaped;
            default -> String.valueOf(escaped);
        };
    }
}
