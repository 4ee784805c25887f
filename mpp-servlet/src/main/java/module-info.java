/** The Jakarta Servlet adapter: a filter that puts the payment gate in front of paid routes. */
module io.mpp4j.servlet {
  requires transitive io.mpp4j.core;
  requires transitive jakarta.servlet;
  requires org.slf4j;

  exports io.mpp4j.servlet;
}
