package dev.clara.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One scrape of a service's {@code /actuator/prometheus} (the text format), for the metrics
 * tests: the value of a series by its name and the labels it must carry.
 */
public final class PrometheusScrape {

	private final int status;

	private final String contentType;

	private final String text;

	private PrometheusScrape(int status, String contentType, String text) {
		this.status = status;
		this.contentType = contentType;
		this.text = text;
	}

	/** GETs {@code http://127.0.0.1:<port>/actuator/prometheus}. */
	public static PrometheusScrape of(int port) {
		return get(port, "/actuator/prometheus");
	}

	/** GETs another path of a service, e.g. {@code /actuator/health} on its API port. */
	public static PrometheusScrape get(int port, String path) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			return new PrometheusScrape(response.statusCode(),
					response.headers().firstValue("Content-Type").orElse(""), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("no answer from port " + port, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public int status() {
		return this.status;
	}

	public String contentType() {
		return this.contentType;
	}

	public String text() {
		return this.text;
	}

	/**
	 * The sum of the series named exactly {@code name} whose labels contain every
	 * {@code label="value"} given (0 when there is none): with one series, its value.
	 */
	public double value(String name, String... labels) {
		return series(name, labels).stream().mapToDouble(PrometheusScrape::valueOf).sum();
	}

	/** Whether a series named exactly {@code name} with these labels is there at all. */
	public boolean has(String name, String... labels) {
		return !series(name, labels).isEmpty();
	}

	private List<String> series(String name, String... labels) {
		return this.text.lines()
			.filter(line -> !line.startsWith("#"))
			.filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
			.filter(line -> Arrays.stream(labels).allMatch(line::contains))
			.toList();
	}

	private static double valueOf(String line) {
		int labelsEnd = line.lastIndexOf('}');
		String rest = (labelsEnd >= 0) ? line.substring(labelsEnd + 1) : line.substring(line.indexOf(' '));
		String[] parts = rest.trim().split("\\s+");
		return Double.parseDouble(parts[0]);
	}

}
