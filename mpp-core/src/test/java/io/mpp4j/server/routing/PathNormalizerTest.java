package io.mpp4j.server.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {
  @ParameterizedTest
  @CsvSource({
    "/api/premium,/api/premium",
    "/API/Premium,/api/premium",
    "/api/%70remium,/api/premium",
    "/api/%2570remium,/api/premium",
    "/api/premium;jsessionid=1,/api/premium",
    "/api;a=b/premium;c,/api/premium",
    "//api///premium,/api/premium",
    "/api/./premium,/api/premium",
    "/a/b/../../api/premium,/api/premium",
    "/api%2Fpremium,/api/premium",
    "/api%5Cpremium,/api/premium",
    "/api\\premium,/api/premium",
    "/api/premium/,/api/premium/",
    "/,/",
    "'',/",
    "/caf%C3%A9,/café",
  })
  void normalizes(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/..", "/a/../..", "/%zz", "/%0", "/a%00b", "/%c3%28", "relative", "/a%0Ab"})
  void refuses(String raw) {
    assertNull(PathNormalizer.normalize(raw));
  }

  @Test
  void simplePathsTakeTheFastPath() {
    assertTrue(PathNormalizer.isSimple("/free"));
    assertTrue(PathNormalizer.isSimple("/api/v1/items-2.json"));
    assertFalse(PathNormalizer.isSimple("/Free"));
    assertFalse(PathNormalizer.isSimple("/a//b"));
    assertFalse(PathNormalizer.isSimple("/a/./b"));
    assertFalse(PathNormalizer.isSimple("/a;b"));
    assertFalse(PathNormalizer.isSimple("/a%20b"));
  }

  @Test
  void routePatterns() {
    PaidRoute exact =
        PaidRoute.of(
            "/API/Premium", io.mpp4j.core.PaymentRequirement.builder().amount("1").build());
    assertEquals("/api/premium", exact.pattern());
    assertTrue(exact.matches("GET", "/api/premium"));
    assertTrue(exact.matches("GET", "/api/premium/"));
    assertFalse(exact.matches("GET", "/api/premiums"));
    assertFalse(exact.matches("POST", "/api/premium"));
    PaidRoute getOnly =
        new PaidRoute(
            "g",
            java.util.Set.of("GET"),
            "/x",
            io.mpp4j.core.PaymentRequirement.builder().amount("1").build(),
            null);
    assertTrue(getOnly.matches("HEAD", "/x"), "a paid GET is a paid HEAD");
    PaidRoute prefix =
        PaidRoute.of("/api/*", io.mpp4j.core.PaymentRequirement.builder().amount("1").build());
    assertTrue(prefix.matches("GET", "/api"));
    assertTrue(prefix.matches("GET", "/api/x/y"));
    assertFalse(prefix.matches("GET", "/apix"));
    PaidRoute all =
        PaidRoute.of("/*", io.mpp4j.core.PaymentRequirement.builder().amount("1").build());
    assertTrue(all.matches("GET", "/"));
    assertTrue(all.matches("GET", "/anything"));
  }
}
