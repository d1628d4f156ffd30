package dev.lumen.tenancy;

/**
 * Service name patterns of a binding: {@code *} matches any characters, nothing else is special.
 */
final class Globs {
  private Globs() {}

  static boolean matches(String pattern, String name) {
    return matches(pattern, 0, name, 0);
  }

  private static boolean matches(String pattern, int p, String name, int n) {
    if (p == pattern.length()) {
      return n == name.length();
    }
    if (pattern.charAt(p) == '*') {
      for (int rest = n; rest <= name.length(); rest++) {
        if (matches(pattern, p + 1, name, rest)) {
          return true;
        }
      }
      return false;
    }
    return n < name.length()
        && pattern.charAt(p) == name.charAt(n)
        && matches(pattern, p + 1, name, n + 1);
  }
}
