package dev.lumen.sim.scenario;

import com.google.common.html.HtmlEscapers;

/** Text made safe for HTML and SVG. */
final class Html {
  private Html() {}

  static String escape(String text) {
    return text == null ? "" : HtmlEscapers.htmlEscaper().escape(text);
  }
}
