package io.mpp4j.server;

import io.mpp4j.core.Credential;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.RequestView;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The first stage: finds the one {@code Payment} credential token of a request. */
final class CredentialExtractor {
  private static final List<String> HEADERS =
      List.of(MppHeaders.AUTHORIZATION, MppHeaders.PAYMENT_AUTHORIZATION);

  private CredentialExtractor() {}

  /** A credential token: {@code text} from {@code start} to its end. */
  record Token(String text, int start) {}

  /** The request carries more than one credential. */
  static final class MultipleCredentials extends Exception {
    private static final long serialVersionUID = 1L;

    MultipleCredentials() {
      super(null, null, false, false);
    }
  }

  /** The request's only credential token, or null when it carries none. */
  static @Nullable Token extractSingleToken(RequestView request)
      throws MalformedMessageException, MultipleCredentials {
    Token found = null;
    int count = 0;
    for (String name : HEADERS) {
      for (String value : request.headers(name)) {
        // The usual header is "Payment <token>" alone: take the token without a full scan (its
        // alphabet is checked when it is decoded). Anything else goes through the scanner.
        if (value.regionMatches(true, 0, "Payment ", 0, 8)
            && value.indexOf(',') < 0
            && value.indexOf(' ', 8) < 0
            && value.length() > 8) {
          if (++count > 1) {
            throw new MultipleCredentials();
          }
          found = new Token(value, 8); // parsed in place: the token is not copied out
          continue;
        }
        List<String> tokens = Credential.tokensIn(value);
        if (tokens.isEmpty()) {
          continue;
        }
        count += tokens.size();
        if (count > 1) {
          throw new MultipleCredentials();
        }
        found = new Token(tokens.get(0), 0);
      }
    }
    return found;
  }
}
