package dev.clara.chat.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.util.StreamUtils;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Request bodies read as a {@code String} (every JSON body of the public chat and the owner API)
 * are decoded strictly: bytes that are not valid in the body's charset (UTF-8 unless the request
 * says otherwise) are a 400, where the stock converter would silently turn them into U+FFFD and
 * store text the client never sent. Added as a custom converter, so it comes before the stock one.
 */
@Configuration(proxyBeanMethods = false)
class StrictTextBodies implements WebMvcConfigurer {

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.addCustomConverter(new StrictStringConverter());
	}

	/** Thrown (as the cause of the 400) when a body does not decode. */
	static final class MalformedBody extends IOException {

		MalformedBody(String charset, CharacterCodingException cause) {
			super("the body is not valid " + charset, cause);
		}

	}

	static final class StrictStringConverter extends StringHttpMessageConverter {

		StrictStringConverter() {
			super(StandardCharsets.UTF_8);
			setWriteAcceptCharset(false);
		}

		@Override
		protected String readInternal(Class<? extends String> type, HttpInputMessage message) throws IOException {
			Charset charset = charset(message);
			byte[] bytes = StreamUtils.copyToByteArray(message.getBody());
			try {
				return charset.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(bytes))
					.toString();
			}
			catch (CharacterCodingException ex) {
				throw new HttpMessageNotReadableException("The request body is not valid " + charset.name(),
						new MalformedBody(charset.name(), ex), message);
			}
		}

		/** The charset the Content-Type names, UTF-8 when it names none; an unknown one is a 400. */
		private static Charset charset(HttpInputMessage message) {
			try {
				MediaType contentType = message.getHeaders().getContentType();
				return (contentType != null && contentType.getCharset() != null) ? contentType.getCharset()
						: StandardCharsets.UTF_8;
			}
			catch (IllegalArgumentException ex) {
				// an unknown or malformed charset name (or Content-Type): the body cannot be read as text
				throw new HttpMessageNotReadableException("The request's Content-Type names an unknown charset", ex,
						message);
			}
		}

	}

}
