(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 16
(002) ldb      [14]
(003) neg      
(004) st       M[1]
(005) ldb      [15]
(006) tax      
(007) ld       M[1]
(008) jeq      x                jt 9	jf 16
(009) ld       #pktlen
(010) st       M[3]
(011) ldh      [16]
(012) tax      
(013) ld       M[3]
(014) jge      x                jt 15	jf 16
(015) ret      #262144
(016) ret      #0
