import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How many connections the JDK's URL connection client (the one the AWS SDK is built with here)
 * opens when requests run several at a time: a loopback server counts the client sockets it sees
 * over 4 rounds. The client keeps {@code http.maxConnections} (5 by default) idle connections a
 * host; more in flight than that are closed after each round and opened again.
 *
 * <pre>java src/bench/experiments/KeepAlive.java 16      # 16 in flight: 49 connections
 * java src/bench/experiments/KeepAlive.java 5       # 5 in flight: 5
 * java -Dhttp.maxConnections=16 src/bench/experiments/KeepAlive.java 16   # 16</pre>
 */
public class KeepAlive {
    public static void main(String[] args) throws Exception {
        int inFlight = Integer.parseInt(args.length > 0 ? args[0] : "16");
        Set<String> clients = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            clients.add(exchange.getRemoteAddress().toString());
            try {
                Thread.sleep(20); // a request's service time: they overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.start();
        URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        ExecutorService pool = Executors.newFixedThreadPool(inFlight);
        for (int round = 0; round < 4; round++) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < inFlight; i++) {
                calls.add(pool.submit(() -> {
                    try {
                        ((HttpURLConnection) url.openConnection()).getInputStream().readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
            System.out.printf("%d in flight, round %d: %d connections opened so far%n", inFlight, round + 1, clients.size());
        }
        System.exit(0);
    }
}
