import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Properties;
import java.util.TreeSet;

/** Loads a .properties file with java.util.Properties and prints its keys and values as JSON. */
public class PropertiesDump {
    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            properties.load(in);
        }
        StringBuilder out = new StringBuilder("{");
        String separator = "";
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            out.append(separator).append(quote(key)).append(':').append(quote(properties.getProperty(key)));
            separator = ",";
        }
        System.out.println(out.append('}'));
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
