package io.sealsync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sealsync.platform.errors.ApiException;
import org.junit.jupiter.api.Test;

class PagingTest {
  @Test
  void limitsAndOffsetsInRangeAreAccepted() {
    assertEquals(Paging.DEFAULT_LIMIT, Paging.limit(null));
    assertEquals(Paging.DEFAULT_LIMIT, Paging.limit(""));
    assertEquals(1, Paging.limit("1"));
    assertEquals(200, Paging.limit("200"));
    assertEquals(0, Paging.offset(null));
    assertEquals(100_000, Paging.offset("100000"));
    assertNull(Paging.cursor("before", null));
    assertEquals(7L, Paging.cursor("before", "7"));
  }

  @Test
  void anythingElseIsInvalidRequest() {
    for (String bad :
        new String[] {"0", "201", "-1", "abc", "1.5", "1e3", " 5", "99999999999999999999"}) {
      ApiException e = assertThrows(ApiException.class, () -> Paging.limit(bad), bad);
      assertEquals(400, e.status());
      assertEquals("invalid_request", e.code());
    }
    assertThrows(ApiException.class, () -> Paging.offset("100001"));
    assertThrows(ApiException.class, () -> Paging.offset("-1"));
    assertThrows(ApiException.class, () -> Paging.cursor("before", "-1"));
    assertThrows(ApiException.class, () -> Paging.text("q", "x".repeat(201)));
    assertThrows(ApiException.class, () -> Paging.text("q", "a\u0000b"));
  }

  @Test
  void searchTextIsMatchedLiterally() {
    assertEquals("%50\\%\\_off\\\\%", Paging.containsPattern("50%_off\\"));
    assertNull(Paging.text("q", "   "));
    assertEquals("acme", Paging.text("q", " acme "));
  }
}
