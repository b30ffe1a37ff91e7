package ai.loopgpt.dr.common.dump;

/**
 * Follows a SQL script line by line far enough to tell whether a line starts outside any string,
 * quoted identifier, dollar-quoted body or block comment: only there is a pg_dump entry header
 * ({@code -- Name: ...; Type: ...}) a header, and not text inside, say, a function's body.
 */
public final class SqlLexer {

    private enum State { TOP, STRING, ESCAPE_STRING, IDENTIFIER, DOLLAR, COMMENT }

    private State state = State.TOP;
    private String dollarTag;
    private int commentDepth;

    public boolean atTopLevel() {
        return state == State.TOP;
    }

    public void scan(String line) {
        int n = line.length();
        int i = 0;
        while (i < n) {
            char c = line.charAt(i);
            switch (state) {
                case TOP -> {
                    if (c == '-' && i + 1 < n && line.charAt(i + 1) == '-') {
                        return; // a comment to the end of the line
                    } else if (c == '/' && i + 1 < n && line.charAt(i + 1) == '*') {
                        state = State.COMMENT;
                        commentDepth = 1;
                        i++;
                    } else if (c == '\'') {
                        boolean escapes = i > 0 && (line.charAt(i - 1) == 'E' || line.charAt(i - 1) == 'e')
                                && (i == 1 || !identifierChar(line.charAt(i - 2)));
                        state = escapes ? State.ESCAPE_STRING : State.STRING;
                    } else if (c == '"') {
                        state = State.IDENTIFIER;
                    } else if (c == '$' && (i == 0 || !identifierChar(line.charAt(i - 1)))) {
                        int end = i + 1;
                        while (end < n && (Character.isLetter(line.charAt(end)) || line.charAt(end) == '_'
                                || end > i + 1 && Character.isDigit(line.charAt(end)))) {
                            end++;
                        }
                        if (end < n && line.charAt(end) == '$') {
                            dollarTag = line.substring(i, end + 1);
                            state = State.DOLLAR;
                            i = end;
                        }
                    }
                }
                case STRING -> i = closingQuote(line, i, '\'');
                case ESCAPE_STRING -> i = c == '\\' ? i + 1 : closingQuote(line, i, '\'');
                case IDENTIFIER -> i = closingQuote(line, i, '"');
                case DOLLAR -> {
                    if (c == '$' && line.startsWith(dollarTag, i)) {
                        i += dollarTag.length() - 1;
                        state = State.TOP;
                    }
                }
                case COMMENT -> {
                    if (c == '/' && i + 1 < n && line.charAt(i + 1) == '*') {
                        commentDepth++;
                        i++;
                    } else if (c == '*' && i + 1 < n && line.charAt(i + 1) == '/') {
                        if (--commentDepth == 0) {
                            state = State.TOP;
                        }
                        i++;
                    }
                }
            }
            i++;
        }
    }

    /**
     * At {@code i} inside quoted text: a lone {@code quote} ends it, a doubled one stands for
     * itself. Returns where the scan goes on from (past a doubled quote).
     */
    private int closingQuote(String line, int i, char quote) {
        if (line.charAt(i) != quote) {
            return i;
        }
        if (i + 1 < line.length() && line.charAt(i + 1) == quote) {
            return i + 1;
        }
        state = State.TOP;
        return i;
    }

    private static boolean identifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
