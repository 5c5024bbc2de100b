// Candidate 2: RESTinio 0.6.16 (Debian: standalone Asio, fmt 9, nodejs http_parser).
// GET /healthz -> 200 {"status":"ok"}, anything else -> 404. Plain request handler, 2 threads.
//   restinio_server PORT
// Build: g++ -std=gnu++23 restinio_server.cpp -pthread -lfmt -lhttp_parser (no defines needed;
// Debian's librestinio-dev pulls in libhttp-parser-dev, and its CMake target restinio::restinio
// adds ASIO_STANDALONE;ASIO_HAS_STD_CHRONO;ASIO_DISABLE_STD_STRING_VIEW, which change nothing
// here).
#include <cstdlib>
#include <iostream>
#include <restinio/all.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: restinio_server PORT\n";
        return 2;
    }
    using traits_t = restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t>;
    restinio::run(restinio::on_thread_pool<traits_t>(2)
                      .address("127.0.0.1")
                      .port(static_cast<std::uint16_t>(std::atoi(argv[1])))
                      .max_pipelined_requests(1)
                      .read_next_http_message_timelimit(std::chrono::seconds(30))
                      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                                    .max_field_value_size(16 * 1024)
                                                    .max_body_size(1024 * 1024))
                      .request_handler([](restinio::request_handle_t req) {
                          if (req->header().method() != restinio::http_method_get() ||
                              req->header().path() != "/healthz")
                              return req->create_response(restinio::status_not_found())
                                  .append_header(restinio::http_field::server, "restinio-bench")
                                  .append_header(restinio::http_field::content_type, "text/plain")
                                  .set_body("not found\n")
                                  .done();
                          return req->create_response()
                              .append_header(restinio::http_field::server, "restinio-bench")
                              .append_header(restinio::http_field::content_type, "application/json")
                              .set_body(R"({"status":"ok"})")
                              .done();
                      }));
}
