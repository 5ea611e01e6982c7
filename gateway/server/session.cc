#include "gateway/server/session.h"

#include <string>

namespace ccx {

namespace asio = boost::asio;

SoupSession::SoupSession(SessionHost* host, asio::ip::tcp::socket socket, uint64_t id)
    : host_(host), socket_(std::move(socket)), id_(id) {
  boost::system::error_code ec;
  const auto ep = socket_.remote_endpoint(ec);
  peer_ = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  opened = last_rx = last_tx = Clock::now();
}

void SoupSession::Start() { DoRead(); }

void SoupSession::DoRead() {
  if (closed_ || closing_) return;
  socket_.async_read_some(
      asio::buffer(read_buf_), [self = shared_from_this()](boost::system::error_code ec, size_t n) {
        if (self->closed_) return;
        if (ec) {
          self->Close();
          return;
        }
        self->last_rx = Clock::now();
        self->parser_.Feed({self->read_buf_.data(), n});
        soup::Packet p;
        for (;;) {
          const soup::ParseStatus st = self->parser_.Next(&p);
          if (st == soup::ParseStatus::kNeedMore) break;
          if (st != soup::ParseStatus::kPacket) {
            self->CloseWithDebug(self->parser_.ErrorText());
            break;
          }
          self->host_->OnPacket(*self, p);
          if (!self->open()) break;
        }
        self->host_->OnReadDone();
        self->DoRead();
      });
}

void SoupSession::Send(const uint8_t* data, size_t size) {
  if (closed_) return;
  out_.insert(out_.end(), data, data + size);
  last_tx = Clock::now();
  DoWrite();
}

void SoupSession::CloseWithDebug(std::string_view text) {
  if (closed_ || closing_) return;
  uint8_t buf[soup::kDefaultMaxLength + soup::kLengthSize];
  const size_t n = soup::EncodeDebug(text, buf);
  Send(buf, n);
  closing_ = true;
  if (writing_.empty() && out_.empty()) Finish();
}

void SoupSession::EndOfSession() {
  if (closed_ || closing_) return;
  uint8_t buf[soup::kHeaderSize];
  const size_t n = soup::EncodeEndOfSession(buf);
  Send(buf, n);
  closing_ = true;
  if (writing_.empty() && out_.empty()) Finish();
}

void SoupSession::DoWrite() {
  if (!writing_.empty() || out_.empty() || closed_) return;
  writing_.swap(out_);
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](boost::system::error_code ec, size_t) {
                      if (self->closed_) return;
                      self->writing_.clear();
                      if (ec) {
                        self->Close();
                        return;
                      }
                      if (!self->out_.empty()) {
                        self->DoWrite();
                      } else if (self->closing_) {
                        self->Finish();
                      }
                    });
}

void SoupSession::Finish() {
  boost::system::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  Close();
}

void SoupSession::Close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  socket_.close(ec);
  host_->OnClosed(*this);
}

}  // namespace ccx
