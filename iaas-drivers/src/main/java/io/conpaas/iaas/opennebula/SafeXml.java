package io.conpaas.iaas.opennebula;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** XML parsing with DOCTYPEs, external entities and XInclude refused (XXE-safe), plus small DOM helpers. */
final class SafeXml {
  /** A document the parser refused: malformed, or carrying a DOCTYPE. */
  static final class RejectedXmlException extends Exception {
    RejectedXmlException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // The default handler prints "[Fatal Error]" lines to stderr; the exception says it all.
  private static final ErrorHandler QUIET = new ErrorHandler() {
    @Override public void warning(SAXParseException e) {}
    @Override public void error(SAXParseException e) throws SAXException { throw e; }
    @Override public void fatalError(SAXParseException e) throws SAXException { throw e; }
  };

  private SafeXml() {}

  static Document parse(String xml) throws RejectedXmlException {
    return parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  static Document parse(byte[] xml) throws RejectedXmlException {
    try {
      DocumentBuilder builder = factory().newDocumentBuilder();
      builder.setErrorHandler(QUIET);
      // Nothing may be resolved from outside the document, even if a feature above were ignored.
      builder.setEntityResolver((publicId, systemId) -> {
        throw new SAXException("external entity refused");
      });
      return builder.parse(new ByteArrayInputStream(xml));
    } catch (SAXException e) {
      throw new RejectedXmlException("not acceptable XML: " + e.getMessage(), e);
    } catch (IOException | ParserConfigurationException e) {
      throw new RejectedXmlException("cannot parse XML: " + e.getMessage(), e);
    }
  }

  private static DocumentBuilderFactory factory() throws ParserConfigurationException {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    f.setNamespaceAware(false);
    f.setValidating(false);
    // OpenNebula wraps template values in CDATA sections: read them as plain text.
    f.setCoalescing(true);
    return f;
  }

  /** The element children of a node, in document order. */
  static List<Element> children(Node parent) {
    List<Element> result = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        result.add(e);
      }
    }
    return result;
  }

  /** The element children with the given name. */
  static List<Element> children(Node parent, String name) {
    return children(parent).stream().filter(e -> e.getTagName().equals(name)).toList();
  }

  /** The first element child with the given name. */
  static Optional<Element> child(Node parent, String name) {
    return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst();
  }

  /** The text of the first child with the given name (empty when absent). */
  static Optional<String> childText(Node parent, String name) {
    return child(parent, name).map(Element::getTextContent);
  }
}
