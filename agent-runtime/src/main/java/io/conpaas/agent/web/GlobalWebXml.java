package io.conpaas.agent.web;

/**
 * The conf/web.xml every Tomcat instance needs (Debian ships it only with the tomcat10 service
 * package): the default servlet for static files, JSP, and the usual welcome files.
 */
final class GlobalWebXml {
  static final String TEXT = """
      <?xml version="1.0" encoding="UTF-8"?>
      <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        <servlet>
          <servlet-name>default</servlet-name>
          <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
          <init-param><param-name>listings</param-name><param-value>false</param-value></init-param>
          <load-on-startup>1</load-on-startup>
        </servlet>
        <servlet>
          <servlet-name>jsp</servlet-name>
          <servlet-class>org.apache.jasper.servlet.JspServlet</servlet-class>
          <load-on-startup>3</load-on-startup>
        </servlet>
        <servlet-mapping><servlet-name>default</servlet-name><url-pattern>/</url-pattern></servlet-mapping>
        <servlet-mapping><servlet-name>jsp</servlet-name><url-pattern>*.jsp</url-pattern></servlet-mapping>
        <session-config><session-timeout>30</session-timeout></session-config>
        <welcome-file-list>
          <welcome-file>index.html</welcome-file>
          <welcome-file>index.jsp</welcome-file>
        </welcome-file-list>
      </web-app>
      """;

  private GlobalWebXml() {}
}
