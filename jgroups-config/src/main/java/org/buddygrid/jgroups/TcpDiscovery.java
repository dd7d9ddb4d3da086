package org.buddygrid.jgroups;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Chooses how a TCP stack finds its members: the static host list of {@code TCPPING} (the default)
 * or DNS ({@code dns.DNS_PING}, for Kubernetes headless services), from {@value #DISCOVERY}.
 *
 * <p>JGroups has no conditional protocols, so DNS discovery is applied by replacing the stack's
 * {@code TCPPING} element. Every value is checked here so that a wrong setting fails when the
 * channel is created, not at the first discovery round (JGroups itself only reads the record type
 * then).
 */
final class TcpDiscovery {
  /** How the tcp stack discovers members: {@code tcpping} (default) or {@code dns}. */
  static final String DISCOVERY = "buddygrid.tcp.discovery";

  /** The DNS name to look up when discovery is {@code dns}; no default. */
  static final String DNS_QUERY = "buddygrid.dns.query";

  /** The DNS record type: {@code A} (default), {@code AAAA} or {@code SRV}. */
  static final String DNS_RECORD_TYPE = "buddygrid.dns.record_type";

  /** The DNS server to ask (host or host:port); the system's resolver when not set. */
  static final String DNS_ADDRESS = "buddygrid.dns.address";

  static final String TCPPING = "tcpping";
  static final String DNS = "dns";
  static final List<String> DISCOVERY_VALUES = List.of(TCPPING, DNS);
  static final List<String> RECORD_TYPES = List.of("A", "AAAA", "SRV");

  private TcpDiscovery() {}

  /**
   * The stack XML with the discovery that {@code lookup} selects.
   *
   * @return {@code xml} itself unless DNS discovery is selected
   * @throws StackException if the discovery or DNS settings are invalid, or DNS discovery is
   *     selected for a stack without {@code TCPPING}
   */
  static String apply(String stackName, String xml, Function<String, String> lookup) {
    String discovery = trimmedOrNull(lookup.apply(DISCOVERY));
    if (discovery == null || discovery.equalsIgnoreCase(TCPPING)) {
      return xml;
    }
    if (!discovery.equalsIgnoreCase(DNS)) {
      throw new StackException(
          DISCOVERY
              + " is \""
              + discovery
              + "\"; allowed values: "
              + String.join(", ", DISCOVERY_VALUES));
    }
    String query = trimmedOrNull(lookup.apply(DNS_QUERY));
    if (query == null) {
      throw new StackException(
          DISCOVERY
              + "=dns needs "
              + DNS_QUERY
              + ": the DNS name that lists the members, e.g. the headless service"
              + " myapp-ping.myns.svc.cluster.local");
    }
    String recordType = trimmedOrNull(lookup.apply(DNS_RECORD_TYPE));
    recordType = recordType == null ? "A" : recordType.toUpperCase(Locale.ROOT);
    if (!RECORD_TYPES.contains(recordType)) {
      throw new StackException(
          DNS_RECORD_TYPE
              + " is \""
              + lookup.apply(DNS_RECORD_TYPE)
              + "\"; allowed values: "
              + String.join(", ", RECORD_TYPES));
    }
    String dnsAddress = trimmedOrNull(lookup.apply(DNS_ADDRESS));

    Document doc = parse(stackName, xml);
    NodeList found = doc.getElementsByTagNameNS("*", "TCPPING");
    if (found.getLength() != 1) {
      throw new StackException(
          DISCOVERY
              + "=dns replaces the TCPPING protocol, but JGroups stack "
              + stackName
              + " has "
              + (found.getLength() == 0 ? "none" : found.getLength())
              + "; use the tcp stack");
    }
    Element tcpping = (Element) found.item(0);
    String prefix = tcpping.getPrefix();
    Element dns =
        doc.createElementNS(
            tcpping.getNamespaceURI(), (prefix == null ? "" : prefix + ":") + "dns.DNS_PING");
    dns.setAttribute("dns_query", query);
    dns.setAttribute("dns_record_type", recordType);
    if (dnsAddress != null) {
      dns.setAttribute("dns_address", dnsAddress);
    }
    // A DNS lookup blocks: keep it off the thread that connects the channel.
    dns.setAttribute("async_discovery", "true");
    tcpping.getParentNode().replaceChild(dns, tcpping);
    return serialize(stackName, doc);
  }

  private static String trimmedOrNull(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.trim();
  }

  private static Document parse(String stackName, String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      // The XML may come from a URL: no DTDs, no external entities.
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      // Report errors through the exception only, not on stderr.
      builder.setErrorHandler(new DefaultHandler());
      return builder.parse(new InputSource(new StringReader(xml)));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new StackException(
          "JGroups stack " + stackName + " is not well-formed XML: " + e.getMessage(), e);
    }
  }

  private static String serialize(String stackName, Document doc) {
    try {
      TransformerFactory factory = TransformerFactory.newInstance();
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
      Transformer transformer = factory.newTransformer();
      transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      StringWriter out = new StringWriter();
      transformer.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (TransformerException e) {
      throw new StackException(
          "Could not rewrite the discovery of JGroups stack " + stackName + ": " + e.getMessage(),
          e);
    }
  }
}
