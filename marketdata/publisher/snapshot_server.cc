#include "marketdata/publisher/snapshot_server.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/protocol/soupbin.h"

namespace ccx {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// One connection: reads the login request, then writes the whole snapshot and closes.
class SnapshotConnection : public std::enable_shared_from_this<SnapshotConnection> {
 public:
  SnapshotConnection(tcp::socket socket, SnapshotServer::Provider* provider, uint64_t* served)
      : socket_(std::move(socket)), provider_(provider), served_(served), timer_(socket_.get_executor()) {}

  void Start() {
    // A client that never logs in is dropped after 10 s.
    timer_.expires_after(std::chrono::seconds(10));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->Close();
    });
    Read();
  }

 private:
  void Read() {
    socket_.async_read_some(asio::buffer(buf_), [self = shared_from_this()](boost::system::error_code ec, size_t n) {
      if (ec) return self->Close();
      self->parser_.Feed({self->buf_.data(), n});
      soup::Packet p;
      const soup::ParseStatus st = self->parser_.Next(&p);
      if (st == soup::ParseStatus::kNeedMore) return self->Read();
      if (st != soup::ParseStatus::kPacket) return self->Fail(self->parser_.ErrorText());
      if (p.type == soup::PacketType::kClientHeartbeat) return self->Read();
      soup::LoginRequest req;
      if (p.type != soup::PacketType::kLoginRequest ||
          soup::DecodeLoginRequest(p.payload, &req) != soup::LoginStatus::kOk) {
        return self->Fail("snapshot service: log in with an L packet first");
      }
      self->Serve(req);
    });
  }

  void Serve(const soup::LoginRequest& req) {
    const SnapshotData d = (*provider_)();
    uint8_t buf[soup::kHeaderSize + 1024];
    if (d.session.empty() || (!req.session.empty() && req.session != d.session)) {
      out_.insert(out_.end(), buf, buf + soup::EncodeLoginRejected(soup::LoginRejectReason::kSessionNotAvailable, buf));
    } else {
      out_.insert(out_.end(), buf, buf + soup::EncodeLoginAccepted(soup::LoginAccepted{d.session, d.next_sequence}, buf));
      for (const auto& m : d.messages) {
        out_.insert(out_.end(), buf, buf + soup::EncodeSequencedData(m, buf));
      }
      out_.insert(out_.end(), buf, buf + soup::EncodeEndOfSession(buf));
      ++*served_;
    }
    Write();
  }

  void Fail(std::string_view why) {
    uint8_t buf[soup::kDefaultMaxLength + soup::kLengthSize];
    const size_t n = soup::EncodeDebug(why, buf);
    out_.assign(buf, buf + n);
    Write();
  }

  void Write() {
    asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this()](boost::system::error_code, size_t) {
      boost::system::error_code e;
      self->socket_.shutdown(tcp::socket::shutdown_send, e);
      self->Close();
    });
  }

  void Close() {
    boost::system::error_code ec;
    timer_.cancel();
    socket_.close(ec);
  }

  tcp::socket socket_;
  SnapshotServer::Provider* provider_;
  uint64_t* served_;
  asio::steady_timer timer_;
  std::array<uint8_t, 4096> buf_{};
  soup::SoupBinParser parser_{soup::Direction::kFromClient};
  std::vector<uint8_t> out_;
};

}  // namespace

SnapshotServer::SnapshotServer(asio::io_context& io, Provider provider)
    : io_(io), acceptor_(io), provider_(std::move(provider)) {}

absl::StatusOr<std::unique_ptr<SnapshotServer>> SnapshotServer::Create(asio::io_context& io,
                                                                       const std::string& listen,
                                                                       uint16_t port, Provider provider) {
  std::unique_ptr<SnapshotServer> s(new SnapshotServer(io, std::move(provider)));
  boost::system::error_code ec;
  const tcp::endpoint ep(asio::ip::make_address(listen, ec), port);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("--listen ", listen, ": ", ec.message()));
  s->acceptor_.open(ep.protocol(), ec);
  s->acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  s->acceptor_.bind(ep, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen for snapshots on ", listen, ":", port, ": ", ec.message()));
  }
  s->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  return s;
}

uint16_t SnapshotServer::port() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void SnapshotServer::Start() { Accept(); }

void SnapshotServer::Stop() {
  stopped_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
}

void SnapshotServer::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket sock) {
    if (stopped_) return;
    if (!ec) {
      boost::system::error_code e;
      sock.set_option(tcp::no_delay(true), e);
      std::make_shared<SnapshotConnection>(std::move(sock), &provider_, &served_)->Start();
    }
    Accept();
  });
}

}  // namespace ccx
